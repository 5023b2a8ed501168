ALTER TABLE "django_content_type" ALTER COLUMN "name" DROP NOT NULL;
ALTER TABLE "django_content_type" DROP COLUMN "name" CASCADE;
