ALTER TABLE "cms_pageurl" ADD COLUMN "site_id" integer NULL CONSTRAINT "cms_pageurl_site_id_7d6fd976_fk_django_site_id" REFERENCES "django_site"("id") DEFERRABLE INITIALLY DEFERRED; SET CONSTRAINTS "cms_pageurl_site_id_7d6fd976_fk_django_site_id" IMMEDIATE;
SET CONSTRAINTS "cms_pageurl_site_id_7d6fd976_fk_django_site_id" IMMEDIATE; ALTER TABLE "cms_pageurl" DROP CONSTRAINT "cms_pageurl_site_id_7d6fd976_fk_django_site_id";
ALTER TABLE "cms_pageurl" ALTER COLUMN "site_id" SET NOT NULL;
ALTER TABLE "cms_pageurl" ADD CONSTRAINT "cms_pageurl_site_id_7d6fd976_fk_django_site_id" FOREIGN KEY ("site_id") REFERENCES "django_site" ("id") DEFERRABLE INITIALLY DEFERRED;
SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE "cms_pageurl" ADD CONSTRAINT "unique_site_language_path" UNIQUE ("site_id", "language", "path");
CREATE INDEX "cms_pageurl_site_id_7d6fd976" ON "cms_pageurl" ("site_id");
