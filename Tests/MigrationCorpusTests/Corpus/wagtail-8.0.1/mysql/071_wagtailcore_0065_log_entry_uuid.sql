ALTER TABLE `wagtailcore_modellogentry` ADD COLUMN `uuid` uuid NULL;
ALTER TABLE `wagtailcore_pagelogentry` ADD COLUMN `uuid` uuid NULL;
