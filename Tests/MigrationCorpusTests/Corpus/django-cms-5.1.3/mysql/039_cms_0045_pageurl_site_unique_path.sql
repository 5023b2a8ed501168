ALTER TABLE `cms_pageurl` ADD COLUMN `site_id` integer NULL , ADD CONSTRAINT `cms_pageurl_site_id_7d6fd976_fk_django_site_id` FOREIGN KEY (`site_id`) REFERENCES `django_site`(`id`);
ALTER TABLE `cms_pageurl` DROP FOREIGN KEY `cms_pageurl_site_id_7d6fd976_fk_django_site_id`;
ALTER TABLE `cms_pageurl` MODIFY `site_id` integer NOT NULL;
ALTER TABLE `cms_pageurl` ADD CONSTRAINT `cms_pageurl_site_id_7d6fd976_fk_django_site_id` FOREIGN KEY (`site_id`) REFERENCES `django_site` (`id`);
ALTER TABLE `cms_pageurl` ADD CONSTRAINT `unique_site_language_path` UNIQUE (`site_id`, `language`, `path`);
