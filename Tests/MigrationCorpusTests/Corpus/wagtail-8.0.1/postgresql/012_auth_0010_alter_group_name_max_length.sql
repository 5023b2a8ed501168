ALTER TABLE "auth_group" ALTER COLUMN "name" TYPE varchar(150);
