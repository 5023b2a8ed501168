CREATE TABLE `wagtailcore_modellogentry` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `label` longtext NOT NULL, `action` varchar(255) NOT NULL, `data_json` longtext NOT NULL, `timestamp` datetime(6) NOT NULL, `content_changed` bool NOT NULL, `deleted` bool NOT NULL, `object_id` varchar(255) NOT NULL, `content_type_id` integer NULL, `user_id` integer NULL);
ALTER TABLE `wagtailcore_modellogentry` ADD CONSTRAINT `wagtailcore_modellog_content_type_id_68849e77_fk_django_co` FOREIGN KEY (`content_type_id`) REFERENCES `django_content_type` (`id`);
CREATE INDEX `wagtailcore_modellogentry_action_d2d856ee` ON `wagtailcore_modellogentry` (`action`);
CREATE INDEX `wagtailcore_modellogentry_content_changed_8bc39742` ON `wagtailcore_modellogentry` (`content_changed`);
CREATE INDEX `wagtailcore_modellogentry_object_id_e0e7d4ef` ON `wagtailcore_modellogentry` (`object_id`);
CREATE INDEX `wagtailcore_modellogentry_user_id_0278d1bf` ON `wagtailcore_modellogentry` (`user_id`);
