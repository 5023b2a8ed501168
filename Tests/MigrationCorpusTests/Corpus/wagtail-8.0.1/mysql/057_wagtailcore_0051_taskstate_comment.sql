ALTER TABLE `wagtailcore_taskstate` ADD COLUMN `comment` longtext NOT NULL;
