DROP TABLE "cms_page_placeholders" CASCADE;
ALTER TABLE "cms_placeholder" DROP COLUMN "title_id" CASCADE;
