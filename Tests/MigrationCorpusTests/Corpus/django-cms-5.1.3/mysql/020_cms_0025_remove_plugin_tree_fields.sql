ALTER TABLE `cms_cmsplugin` DROP CONSTRAINT IF EXISTS `__unnamed_constraint_1__`;
ALTER TABLE `cms_cmsplugin` MODIFY `position` smallint NOT NULL;
ALTER TABLE `cms_cmsplugin` ADD CONSTRAINT `cms_cmsplugin_placeholder_id_language_position_bad60ebe_uniq` UNIQUE (`placeholder_id`, `language`, `position`);
CREATE INDEX `cms_cmsplug_placeho_3f2b0f_idx` ON `cms_cmsplugin` (`placeholder_id`, `language`, `position`);
ALTER TABLE `cms_cmsplugin` DROP COLUMN `depth`;
ALTER TABLE `cms_cmsplugin` DROP COLUMN `numchild`;
ALTER TABLE `cms_cmsplugin` DROP COLUMN `path`;
