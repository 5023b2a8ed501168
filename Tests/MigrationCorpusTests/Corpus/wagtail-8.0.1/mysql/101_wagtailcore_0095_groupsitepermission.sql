CREATE TABLE `wagtailcore_groupsitepermission` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `group_id` integer NOT NULL, `permission_id` integer NOT NULL, `site_id` integer NOT NULL);
ALTER TABLE `wagtailcore_groupsitepermission` ADD CONSTRAINT `wagtailcore_groupsiteper_group_id_site_id_permiss_a58ee30d_uniq` UNIQUE (`group_id`, `site_id`, `permission_id`);
ALTER TABLE `wagtailcore_groupsitepermission` ADD CONSTRAINT `wagtailcore_groupsit_group_id_e5cdbee4_fk_auth_grou` FOREIGN KEY (`group_id`) REFERENCES `auth_group` (`id`);
ALTER TABLE `wagtailcore_groupsitepermission` ADD CONSTRAINT `wagtailcore_groupsit_permission_id_459b1f38_fk_auth_perm` FOREIGN KEY (`permission_id`) REFERENCES `auth_permission` (`id`);
ALTER TABLE `wagtailcore_groupsitepermission` ADD CONSTRAINT `wagtailcore_groupsit_site_id_245de488_fk_wagtailco` FOREIGN KEY (`site_id`) REFERENCES `wagtailcore_site` (`id`);
