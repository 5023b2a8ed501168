ALTER TABLE "cms_title" RENAME TO "cms_pagecontent";
ALTER TABLE "cms_title_placeholders" RENAME TO "cms_pagecontent_placeholders";
SET CONSTRAINTS "cms_title_placeholders_title_id_02f910ec_fk_cms_title_id" IMMEDIATE; ALTER TABLE "cms_pagecontent_placeholders" DROP CONSTRAINT "cms_title_placeholders_title_id_02f910ec_fk_cms_title_id";
ALTER TABLE "cms_pagecontent_placeholders" RENAME COLUMN "title_id" TO "pagecontent_id";
ALTER TABLE "cms_pagecontent_placeholders" ADD CONSTRAINT "cms_pagecontent_plac_pagecontent_id_2302b833_fk_cms_pagec" FOREIGN KEY ("pagecontent_id") REFERENCES "cms_pagecontent" ("id") DEFERRABLE INITIALLY DEFERRED;
