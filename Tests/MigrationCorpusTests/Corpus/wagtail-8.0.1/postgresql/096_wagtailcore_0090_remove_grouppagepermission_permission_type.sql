ALTER TABLE "wagtailcore_grouppagepermission" DROP CONSTRAINT "permission_or_permission_type_not_null";
ALTER TABLE "wagtailcore_grouppagepermission" DROP CONSTRAINT "unique_permission_type";
ALTER TABLE "wagtailcore_grouppagepermission" DROP COLUMN "permission_type" CASCADE;
SET CONSTRAINTS "wagtailcore_grouppag_permission_id_05acb22e_fk_auth_perm" IMMEDIATE; ALTER TABLE "wagtailcore_grouppagepermission" DROP CONSTRAINT "wagtailcore_grouppag_permission_id_05acb22e_fk_auth_perm";
ALTER TABLE "wagtailcore_grouppagepermission" ALTER COLUMN "permission_id" SET NOT NULL;
ALTER TABLE "wagtailcore_grouppagepermission" ADD CONSTRAINT "wagtailcore_grouppag_permission_id_05acb22e_fk_auth_perm" FOREIGN KEY ("permission_id") REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED;
