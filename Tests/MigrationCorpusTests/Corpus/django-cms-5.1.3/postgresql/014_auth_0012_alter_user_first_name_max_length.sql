ALTER TABLE "auth_user" ALTER COLUMN "first_name" TYPE varchar(150);
