ALTER TABLE "wagtailcore_page" ADD COLUMN "translation_key" uuid NULL;
ALTER TABLE "wagtailcore_page" ADD COLUMN "locale_id" integer NULL CONSTRAINT "wagtailcore_page_locale_id_3c7e30a6_fk_wagtailcore_locale_id" REFERENCES "wagtailcore_locale"("id") DEFERRABLE INITIALLY DEFERRED; SET CONSTRAINTS "wagtailcore_page_locale_id_3c7e30a6_fk_wagtailcore_locale_id" IMMEDIATE;
ALTER TABLE "wagtailcore_page" ADD CONSTRAINT "wagtailcore_page_translation_key_locale_id_9b041bad_uniq" UNIQUE ("translation_key", "locale_id");
CREATE INDEX "wagtailcore_page_locale_id_3c7e30a6" ON "wagtailcore_page" ("locale_id");
