ALTER TABLE `wagtailcore_taskstate` DROP FOREIGN KEY `wagtailcore_taskstat_page_revision_id_9f52c88e_fk_wagtailco`;
ALTER TABLE `wagtailcore_taskstate` RENAME COLUMN `page_revision_id` TO `revision_id`;
ALTER TABLE `wagtailcore_taskstate` ADD CONSTRAINT `wagtailcore_taskstat_revision_id_df25a499_fk_wagtailco` FOREIGN KEY (`revision_id`) REFERENCES `wagtailcore_revision` (`id`);
