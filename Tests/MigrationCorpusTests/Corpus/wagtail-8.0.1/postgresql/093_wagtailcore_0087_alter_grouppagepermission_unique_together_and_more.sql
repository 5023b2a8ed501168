ALTER TABLE "wagtailcore_grouppagepermission" DROP CONSTRAINT "wagtailcore_grouppageper_group_id_page_id_permiss_0898bdf8_uniq";
ALTER TABLE "wagtailcore_grouppagepermission" ADD CONSTRAINT "permission_or_permission_type_not_null" CHECK (("permission_id" IS NOT NULL OR "permission_type" IS NOT NULL));
ALTER TABLE "wagtailcore_grouppagepermission" ADD CONSTRAINT "unique_permission" UNIQUE ("group_id", "page_id", "permission_id");
ALTER TABLE "wagtailcore_grouppagepermission" ADD CONSTRAINT "unique_permission_type" UNIQUE ("group_id", "page_id", "permission_type");
