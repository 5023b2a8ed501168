ALTER TABLE `wagtailcore_page` ADD COLUMN `last_published_at` datetime(6) NULL;
