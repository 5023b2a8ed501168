ALTER TABLE "wagtailcore_modellogentry" ADD COLUMN "revision_id" integer NULL;
CREATE INDEX "wagtailcore_modellogentry_revision_id_df6ca33a" ON "wagtailcore_modellogentry" ("revision_id");
