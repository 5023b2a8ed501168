ALTER TABLE `wagtailcore_grouppagepermission` ADD COLUMN `permission_id` integer NULL , ADD CONSTRAINT `wagtailcore_grouppag_permission_id_05acb22e_fk_auth_perm` FOREIGN KEY (`permission_id`) REFERENCES `auth_permission`(`id`);
ALTER TABLE `wagtailcore_grouppagepermission` MODIFY `permission_type` varchar(20) NULL;
