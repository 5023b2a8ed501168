ALTER TABLE `wagtailcore_site` ALTER COLUMN `site_name` SET DEFAULT '';
UPDATE `wagtailcore_site` SET `site_name` = '' WHERE `site_name` IS NULL;
ALTER TABLE `wagtailcore_site` MODIFY `site_name` varchar(255) NOT NULL;
ALTER TABLE `wagtailcore_site` ALTER COLUMN `site_name` DROP DEFAULT;
