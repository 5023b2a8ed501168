ALTER TABLE `wagtailcore_page` ADD COLUMN `locked_at` datetime(6) NULL;
ALTER TABLE `wagtailcore_page` ADD COLUMN `locked_by_id` integer NULL , ADD CONSTRAINT `wagtailcore_page_locked_by_id_bcb86245_fk_auth_user_id` FOREIGN KEY (`locked_by_id`) REFERENCES `auth_user`(`id`);
