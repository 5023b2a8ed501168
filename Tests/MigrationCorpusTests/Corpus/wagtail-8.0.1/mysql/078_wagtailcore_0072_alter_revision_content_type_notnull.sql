ALTER TABLE `wagtailcore_revision` DROP FOREIGN KEY `wagtailcore_revision_content_type_id_c8cb69c0_fk_django_co`;
ALTER TABLE `wagtailcore_revision` MODIFY `content_type_id` integer NOT NULL;
ALTER TABLE `wagtailcore_revision` ADD CONSTRAINT `wagtailcore_revision_content_type_id_c8cb69c0_fk_django_co` FOREIGN KEY (`content_type_id`) REFERENCES `django_content_type` (`id`);
ALTER TABLE `wagtailcore_revision` DROP FOREIGN KEY `wagtailcore_revision_base_content_type_id_5b4ef7bd_fk_django_co`;
ALTER TABLE `wagtailcore_revision` MODIFY `base_content_type_id` integer NOT NULL;
ALTER TABLE `wagtailcore_revision` ADD CONSTRAINT `wagtailcore_revision_base_content_type_id_5b4ef7bd_fk_django_co` FOREIGN KEY (`base_content_type_id`) REFERENCES `django_content_type` (`id`);
