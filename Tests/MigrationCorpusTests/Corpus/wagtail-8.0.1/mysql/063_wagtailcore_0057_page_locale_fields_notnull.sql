ALTER TABLE `wagtailcore_page` DROP FOREIGN KEY `wagtailcore_page_locale_id_3c7e30a6_fk_wagtailcore_locale_id`;
ALTER TABLE `wagtailcore_page` MODIFY `locale_id` integer NOT NULL;
ALTER TABLE `wagtailcore_page` ADD CONSTRAINT `wagtailcore_page_locale_id_3c7e30a6_fk_wagtailcore_locale_id` FOREIGN KEY (`locale_id`) REFERENCES `wagtailcore_locale` (`id`);
ALTER TABLE `wagtailcore_page` ALTER COLUMN `translation_key` SET DEFAULT '4d3b5565-2402-46e9-b918-7d796179a2c6';
UPDATE `wagtailcore_page` SET `translation_key` = 'e03db2b1-4ee9-41fb-a48c-9bcd5cddd526' WHERE `translation_key` IS NULL;
ALTER TABLE `wagtailcore_page` MODIFY `translation_key` uuid NOT NULL;
ALTER TABLE `wagtailcore_page` ALTER COLUMN `translation_key` DROP DEFAULT;
