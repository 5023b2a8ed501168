CREATE INDEX `wagtailcore_uuid_d6363b_idx` ON `wagtailcore_modellogentry` (`uuid`, `action`, `timestamp` DESC);
CREATE INDEX `wagtailcore_uuid_06a44d_idx` ON `wagtailcore_pagelogentry` (`uuid`, `action`, `timestamp` DESC);
