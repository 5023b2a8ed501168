ALTER TABLE `wagtailcore_workflowstate` DROP FOREIGN KEY `wagtailcore_workflow_base_content_type_id_a30dc576_fk_django_co`;
ALTER TABLE `wagtailcore_workflowstate` MODIFY `base_content_type_id` integer NOT NULL;
ALTER TABLE `wagtailcore_workflowstate` ADD CONSTRAINT `wagtailcore_workflow_base_content_type_id_a30dc576_fk_django_co` FOREIGN KEY (`base_content_type_id`) REFERENCES `django_content_type` (`id`);
ALTER TABLE `wagtailcore_workflowstate` DROP FOREIGN KEY `wagtailcore_workflow_content_type_id_2bb78ce1_fk_django_co`;
ALTER TABLE `wagtailcore_workflowstate` MODIFY `content_type_id` integer NOT NULL;
ALTER TABLE `wagtailcore_workflowstate` ADD CONSTRAINT `wagtailcore_workflow_content_type_id_2bb78ce1_fk_django_co` FOREIGN KEY (`content_type_id`) REFERENCES `django_content_type` (`id`);
