ALTER TABLE "cms_page" DROP COLUMN "languages" CASCADE;
ALTER TABLE "cms_pageurl" ADD CONSTRAINT "cms_pageurl_language_page_id_fa1b2a8c_uniq" UNIQUE ("language", "page_id");
