ALTER TABLE "cms_pageurl" DROP CONSTRAINT "cms_pageurl_language_page_id_fa1b2a8c_uniq";
ALTER TABLE "cms_pageurl" ADD CONSTRAINT "unique_together_page_language" UNIQUE ("page_id", "language");
