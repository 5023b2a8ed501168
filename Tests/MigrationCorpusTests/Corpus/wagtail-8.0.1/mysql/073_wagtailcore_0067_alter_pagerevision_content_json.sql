ALTER TABLE `wagtailcore_pagerevision` MODIFY `content_json` json NOT NULL;
ALTER TABLE `wagtailcore_pagerevision` RENAME COLUMN `content_json` TO `content`;
