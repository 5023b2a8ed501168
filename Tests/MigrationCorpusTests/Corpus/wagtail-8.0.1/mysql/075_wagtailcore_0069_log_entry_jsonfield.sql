ALTER TABLE `wagtailcore_modellogentry` MODIFY `data_json` json NOT NULL;
ALTER TABLE `wagtailcore_pagelogentry` MODIFY `data_json` json NOT NULL;
ALTER TABLE `wagtailcore_modellogentry` RENAME COLUMN `data_json` TO `data`;
ALTER TABLE `wagtailcore_pagelogentry` RENAME COLUMN `data_json` TO `data`;
