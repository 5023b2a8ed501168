CREATE TABLE `wagtailcore_groupcollectionpermission` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `collection_id` integer NOT NULL, `group_id` integer NOT NULL, `permission_id` integer NOT NULL);
ALTER TABLE `wagtailcore_groupcollectionpermission` ADD CONSTRAINT `wagtailcore_groupcollect_group_id_collection_id_p_a21cefe9_uniq` UNIQUE (`group_id`, `collection_id`, `permission_id`);
ALTER TABLE `wagtailcore_groupcollectionpermission` ADD CONSTRAINT `wagtailcore_groupcol_collection_id_5423575a_fk_wagtailco` FOREIGN KEY (`collection_id`) REFERENCES `wagtailcore_collection` (`id`);
ALTER TABLE `wagtailcore_groupcollectionpermission` ADD CONSTRAINT `wagtailcore_groupcol_group_id_05d61460_fk_auth_grou` FOREIGN KEY (`group_id`) REFERENCES `auth_group` (`id`);
ALTER TABLE `wagtailcore_groupcollectionpermission` ADD CONSTRAINT `wagtailcore_groupcol_permission_id_1b626275_fk_auth_perm` FOREIGN KEY (`permission_id`) REFERENCES `auth_permission` (`id`);
