ALTER TABLE `wagtailcore_grouppagepermission` DROP CONSTRAINT IF EXISTS `permission_or_permission_type_not_null`;
ALTER TABLE `wagtailcore_grouppagepermission` DROP INDEX `unique_permission_type`;
ALTER TABLE `wagtailcore_grouppagepermission` DROP COLUMN `permission_type`;
ALTER TABLE `wagtailcore_grouppagepermission` DROP FOREIGN KEY `wagtailcore_grouppag_permission_id_05acb22e_fk_auth_perm`;
ALTER TABLE `wagtailcore_grouppagepermission` MODIFY `permission_id` integer NOT NULL;
ALTER TABLE `wagtailcore_grouppagepermission` ADD CONSTRAINT `wagtailcore_grouppag_permission_id_05acb22e_fk_auth_perm` FOREIGN KEY (`permission_id`) REFERENCES `auth_permission` (`id`);
