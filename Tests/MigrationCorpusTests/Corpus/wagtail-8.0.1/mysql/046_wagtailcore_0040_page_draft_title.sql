ALTER TABLE `wagtailcore_page` ADD COLUMN `draft_title` varchar(255) DEFAULT '' NOT NULL;
ALTER TABLE `wagtailcore_page` ALTER COLUMN `draft_title` DROP DEFAULT;
