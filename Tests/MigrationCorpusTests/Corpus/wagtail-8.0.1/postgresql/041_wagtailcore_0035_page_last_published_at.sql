ALTER TABLE "wagtailcore_page" ADD COLUMN "last_published_at" timestamp with time zone NULL;
