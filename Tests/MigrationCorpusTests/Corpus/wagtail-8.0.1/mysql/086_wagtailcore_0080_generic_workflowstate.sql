ALTER TABLE `wagtailcore_workflowstate` DROP FOREIGN KEY `wagtailcore_workflow_page_id_6c962862_fk_wagtailco`;
DROP INDEX `wagtailcore_workflow_page_id_6c962862_fk_wagtailco` ON `wagtailcore_workflowstate`;
ALTER TABLE `wagtailcore_workflowstate` RENAME COLUMN `page_id` TO `page`;
ALTER TABLE `wagtailcore_workflowstate` MODIFY `page` varchar(255) NOT NULL;
ALTER TABLE `wagtailcore_workflowstate` RENAME COLUMN `page` TO `object_id`;
ALTER TABLE `wagtailcore_workflowstate` ADD COLUMN `content_type_id` integer NULL , ADD CONSTRAINT `wagtailcore_workflow_content_type_id_2bb78ce1_fk_django_co` FOREIGN KEY (`content_type_id`) REFERENCES `django_content_type`(`id`);
ALTER TABLE `wagtailcore_workflowstate` ADD COLUMN `base_content_type_id` integer NULL , ADD CONSTRAINT `wagtailcore_workflow_base_content_type_id_a30dc576_fk_django_co` FOREIGN KEY (`base_content_type_id`) REFERENCES `django_content_type`(`id`);
CREATE INDEX `workflowstate_ct_id_idx` ON `wagtailcore_workflowstate` (`content_type_id`, `object_id`);
CREATE INDEX `workflowstate_base_ct_id_idx` ON `wagtailcore_workflowstate` (`base_content_type_id`, `object_id`);
