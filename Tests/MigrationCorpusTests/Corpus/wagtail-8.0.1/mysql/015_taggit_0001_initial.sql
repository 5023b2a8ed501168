CREATE TABLE `taggit_tag` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `name` varchar(100) NOT NULL UNIQUE, `slug` varchar(100) NOT NULL UNIQUE);
CREATE TABLE `taggit_taggeditem` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `object_id` integer NOT NULL, `content_type_id` integer NOT NULL, `tag_id` integer NOT NULL);
ALTER TABLE `taggit_taggeditem` ADD CONSTRAINT `taggit_taggeditem_content_type_id_9957a03c_fk_django_co` FOREIGN KEY (`content_type_id`) REFERENCES `django_content_type` (`id`);
ALTER TABLE `taggit_taggeditem` ADD CONSTRAINT `taggit_taggeditem_tag_id_f4f5b767_fk_taggit_tag_id` FOREIGN KEY (`tag_id`) REFERENCES `taggit_tag` (`id`);
CREATE INDEX `taggit_taggeditem_object_id_e2d7d1df` ON `taggit_taggeditem` (`object_id`);
