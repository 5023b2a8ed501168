ALTER TABLE "cms_pagecontent" ADD COLUMN "slug" varchar(255) DEFAULT '' NOT NULL;
ALTER TABLE "cms_pagecontent" ALTER COLUMN "slug" DROP DEFAULT;
ALTER TABLE "cms_pagecontent" ADD COLUMN "overwrite_url" varchar(255) NULL;
CREATE INDEX "cms_pagecontent_slug_23c7b868" ON "cms_pagecontent" ("slug");
CREATE INDEX "cms_pagecontent_slug_23c7b868_like" ON "cms_pagecontent" ("slug" varchar_pattern_ops);
