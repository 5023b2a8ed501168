SET CONSTRAINTS "cms_pageuser_created_by_id_8e9fbf83_fk_auth_user_id" IMMEDIATE; ALTER TABLE "cms_pageuser" DROP CONSTRAINT "cms_pageuser_created_by_id_8e9fbf83_fk_auth_user_id";
ALTER TABLE "cms_pageuser" ALTER COLUMN "created_by_id" DROP NOT NULL;
ALTER TABLE "cms_pageuser" ADD CONSTRAINT "cms_pageuser_created_by_id_8e9fbf83_fk_auth_user_id" FOREIGN KEY ("created_by_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
SET CONSTRAINTS "cms_pageusergroup_created_by_id_7d57fa39_fk_auth_user_id" IMMEDIATE; ALTER TABLE "cms_pageusergroup" DROP CONSTRAINT "cms_pageusergroup_created_by_id_7d57fa39_fk_auth_user_id";
ALTER TABLE "cms_pageusergroup" ALTER COLUMN "created_by_id" DROP NOT NULL;
ALTER TABLE "cms_pageusergroup" ADD CONSTRAINT "cms_pageusergroup_created_by_id_7d57fa39_fk_auth_user_id" FOREIGN KEY ("created_by_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
