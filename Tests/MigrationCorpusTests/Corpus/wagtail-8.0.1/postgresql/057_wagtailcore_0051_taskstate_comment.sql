ALTER TABLE "wagtailcore_taskstate" ADD COLUMN "comment" text DEFAULT '' NOT NULL;
ALTER TABLE "wagtailcore_taskstate" ALTER COLUMN "comment" DROP DEFAULT;
