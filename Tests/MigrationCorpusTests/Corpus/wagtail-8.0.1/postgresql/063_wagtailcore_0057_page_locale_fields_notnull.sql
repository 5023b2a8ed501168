SET CONSTRAINTS "wagtailcore_page_locale_id_3c7e30a6_fk_wagtailcore_locale_id" IMMEDIATE; ALTER TABLE "wagtailcore_page" DROP CONSTRAINT "wagtailcore_page_locale_id_3c7e30a6_fk_wagtailcore_locale_id";
ALTER TABLE "wagtailcore_page" ALTER COLUMN "locale_id" SET NOT NULL;
ALTER TABLE "wagtailcore_page" ADD CONSTRAINT "wagtailcore_page_locale_id_3c7e30a6_fk_wagtailcore_locale_id" FOREIGN KEY ("locale_id") REFERENCES "wagtailcore_locale" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "wagtailcore_page" ALTER COLUMN "translation_key" SET DEFAULT '565777d4-21b9-4c9d-ad3f-ec1581e85eaf'::uuid;
UPDATE "wagtailcore_page" SET "translation_key" = 'd670b52f-5184-400d-860f-c8ba28378dab'::uuid WHERE "translation_key" IS NULL; SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE "wagtailcore_page" ALTER COLUMN "translation_key" SET NOT NULL;
ALTER TABLE "wagtailcore_page" ALTER COLUMN "translation_key" DROP DEFAULT;
