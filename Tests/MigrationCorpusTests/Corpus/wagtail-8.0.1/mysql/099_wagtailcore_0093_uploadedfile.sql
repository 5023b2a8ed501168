CREATE TABLE `wagtailcore_uploadedfile` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `file` varchar(200) NOT NULL, `for_content_type_id` integer NULL, `uploaded_by_user_id` integer NULL);
ALTER TABLE `wagtailcore_uploadedfile` ADD CONSTRAINT `wagtailcore_uploaded_for_content_type_id_b0fc87b2_fk_django_co` FOREIGN KEY (`for_content_type_id`) REFERENCES `django_content_type` (`id`);
ALTER TABLE `wagtailcore_uploadedfile` ADD CONSTRAINT `wagtailcore_uploaded_uploaded_by_user_id_c7580fe8_fk_auth_user` FOREIGN KEY (`uploaded_by_user_id`) REFERENCES `auth_user` (`id`);
