ALTER TABLE `wagtailcore_revision` DROP COLUMN `submitted_for_moderation`;
