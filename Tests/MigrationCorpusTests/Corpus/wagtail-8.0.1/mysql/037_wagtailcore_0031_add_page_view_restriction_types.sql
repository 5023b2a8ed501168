CREATE TABLE `wagtailcore_pageviewrestriction_groups` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `pageviewrestriction_id` integer NOT NULL, `group_id` integer NOT NULL);
ALTER TABLE `wagtailcore_pageviewrestriction` ADD COLUMN `restriction_type` varchar(20) DEFAULT 'password' NOT NULL;
ALTER TABLE `wagtailcore_pageviewrestriction` ALTER COLUMN `restriction_type` DROP DEFAULT;
ALTER TABLE `wagtailcore_pageviewrestriction_groups` ADD CONSTRAINT `wagtailcore_pageviewrest_pageviewrestriction_id_g_d23f80bb_uniq` UNIQUE (`pageviewrestriction_id`, `group_id`);
ALTER TABLE `wagtailcore_pageviewrestriction_groups` ADD CONSTRAINT `wagtailcore_pageview_pageviewrestriction__f147a99a_fk_wagtailco` FOREIGN KEY (`pageviewrestriction_id`) REFERENCES `wagtailcore_pageviewrestriction` (`id`);
ALTER TABLE `wagtailcore_pageviewrestriction_groups` ADD CONSTRAINT `wagtailcore_pageview_group_id_6460f223_fk_auth_grou` FOREIGN KEY (`group_id`) REFERENCES `auth_group` (`id`);
