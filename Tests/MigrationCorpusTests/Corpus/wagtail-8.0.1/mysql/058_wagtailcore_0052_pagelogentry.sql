CREATE TABLE `wagtailcore_pagelogentry` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `label` longtext NOT NULL, `action` varchar(255) NOT NULL, `data_json` longtext NOT NULL, `timestamp` datetime(6) NOT NULL, `content_changed` bool NOT NULL, `deleted` bool NOT NULL, `content_type_id` integer NULL, `page_id` integer NOT NULL, `revision_id` integer NULL, `user_id` integer NULL);
ALTER TABLE `wagtailcore_pagelogentry` ADD CONSTRAINT `wagtailcore_pageloge_content_type_id_74e7708a_fk_django_co` FOREIGN KEY (`content_type_id`) REFERENCES `django_content_type` (`id`);
CREATE INDEX `wagtailcore_pagelogentry_action_c2408198` ON `wagtailcore_pagelogentry` (`action`);
CREATE INDEX `wagtailcore_pagelogentry_content_changed_99f27ade` ON `wagtailcore_pagelogentry` (`content_changed`);
CREATE INDEX `wagtailcore_pagelogentry_page_id_8464e327` ON `wagtailcore_pagelogentry` (`page_id`);
CREATE INDEX `wagtailcore_pagelogentry_revision_id_8043d103` ON `wagtailcore_pagelogentry` (`revision_id`);
CREATE INDEX `wagtailcore_pagelogentry_user_id_604ccfd8` ON `wagtailcore_pagelogentry` (`user_id`);
