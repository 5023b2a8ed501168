ALTER TABLE "wagtailcore_page" ADD COLUMN "locked_at" timestamp with time zone NULL;
ALTER TABLE "wagtailcore_page" ADD COLUMN "locked_by_id" integer NULL CONSTRAINT "wagtailcore_page_locked_by_id_bcb86245_fk_auth_user_id" REFERENCES "auth_user"("id") DEFERRABLE INITIALLY DEFERRED; SET CONSTRAINTS "wagtailcore_page_locked_by_id_bcb86245_fk_auth_user_id" IMMEDIATE;
CREATE INDEX "wagtailcore_page_locked_by_id_bcb86245" ON "wagtailcore_page" ("locked_by_id");
