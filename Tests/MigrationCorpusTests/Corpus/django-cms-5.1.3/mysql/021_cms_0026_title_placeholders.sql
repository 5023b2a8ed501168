CREATE TABLE `cms_title_placeholders` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `title_id` integer NOT NULL, `placeholder_id` integer NOT NULL);
ALTER TABLE `cms_placeholder` ADD COLUMN `title_id` integer UNSIGNED NULL CHECK (`title_id` >= 0);
ALTER TABLE `cms_title_placeholders` ADD CONSTRAINT `cms_title_placeholders_title_id_placeholder_id_8c039d68_uniq` UNIQUE (`title_id`, `placeholder_id`);
ALTER TABLE `cms_title_placeholders` ADD CONSTRAINT `cms_title_placeholders_title_id_02f910ec_fk_cms_title_id` FOREIGN KEY (`title_id`) REFERENCES `cms_title` (`id`);
ALTER TABLE `cms_title_placeholders` ADD CONSTRAINT `cms_title_placeholde_placeholder_id_2f49c24f_fk_cms_place` FOREIGN KEY (`placeholder_id`) REFERENCES `cms_placeholder` (`id`);
