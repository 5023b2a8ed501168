ALTER TABLE "wagtailcore_pagerevision" ALTER COLUMN "content_json" TYPE jsonb USING "content_json"::jsonb;
ALTER TABLE "wagtailcore_pagerevision" RENAME COLUMN "content_json" TO "content";
