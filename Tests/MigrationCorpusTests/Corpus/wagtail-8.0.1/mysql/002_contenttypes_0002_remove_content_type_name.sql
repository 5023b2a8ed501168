ALTER TABLE `django_content_type` MODIFY `name` varchar(100) NULL;
ALTER TABLE `django_content_type` DROP COLUMN `name`;
