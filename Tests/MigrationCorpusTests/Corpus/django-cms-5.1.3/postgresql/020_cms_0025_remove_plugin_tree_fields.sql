ALTER TABLE "cms_cmsplugin" DROP CONSTRAINT "cms_cmsplugin_position_check";
ALTER TABLE "cms_cmsplugin" ADD CONSTRAINT "cms_cmsplugin_placeholder_id_language_position_bad60ebe_uniq" UNIQUE ("placeholder_id", "language", "position");
CREATE INDEX "cms_cmsplug_placeho_3f2b0f_idx" ON "cms_cmsplugin" ("placeholder_id", "language", "position");
ALTER TABLE "cms_cmsplugin" DROP COLUMN "depth" CASCADE;
ALTER TABLE "cms_cmsplugin" DROP COLUMN "numchild" CASCADE;
ALTER TABLE "cms_cmsplugin" DROP COLUMN "path" CASCADE;
