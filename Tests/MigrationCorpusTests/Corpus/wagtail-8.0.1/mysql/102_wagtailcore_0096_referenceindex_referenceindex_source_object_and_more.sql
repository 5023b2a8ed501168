CREATE INDEX `referenceindex_source_object` ON `wagtailcore_referenceindex` (`base_content_type_id`, `object_id`);
CREATE INDEX `referenceindex_target_object` ON `wagtailcore_referenceindex` (`to_content_type_id`, `to_object_id`);
