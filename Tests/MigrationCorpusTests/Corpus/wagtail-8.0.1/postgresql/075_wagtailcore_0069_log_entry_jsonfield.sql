ALTER TABLE "wagtailcore_modellogentry" ALTER COLUMN "data_json" TYPE jsonb USING "data_json"::jsonb;
ALTER TABLE "wagtailcore_pagelogentry" ALTER COLUMN "data_json" TYPE jsonb USING "data_json"::jsonb;
ALTER TABLE "wagtailcore_modellogentry" RENAME COLUMN "data_json" TO "data";
ALTER TABLE "wagtailcore_pagelogentry" RENAME COLUMN "data_json" TO "data";
