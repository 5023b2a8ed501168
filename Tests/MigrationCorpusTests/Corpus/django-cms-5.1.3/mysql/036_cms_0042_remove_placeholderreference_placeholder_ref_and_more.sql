ALTER TABLE `cms_placeholderreference` DROP FOREIGN KEY `cms_placeholderrefer_placeholder_ref_id_244759b1_fk_cms_place`;
ALTER TABLE `cms_placeholderreference` DROP COLUMN `placeholder_ref_id`;
DROP TABLE `cms_staticplaceholder` CASCADE;
