ALTER TABLE `wagtailcore_revision` ADD COLUMN `object_str` longtext NOT NULL;
UPDATE `wagtailcore_revision` SET `object_str` = '';
