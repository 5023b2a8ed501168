ALTER TABLE `cms_placeholder` ADD COLUMN `content_type_id` integer NULL , ADD CONSTRAINT `cms_placeholder_content_type_id_a7659d9c_fk_django_co` FOREIGN KEY (`content_type_id`) REFERENCES `django_content_type`(`id`);
ALTER TABLE `cms_placeholder` ADD COLUMN `object_id` integer UNSIGNED NULL CHECK (`object_id` >= 0);
