RENAME TABLE `cms_title` TO `cms_pagecontent`;
RENAME TABLE `cms_title_placeholders` TO `cms_pagecontent_placeholders`;
ALTER TABLE `cms_pagecontent_placeholders` DROP FOREIGN KEY `cms_title_placeholders_title_id_02f910ec_fk_cms_title_id`;
ALTER TABLE `cms_pagecontent_placeholders` RENAME COLUMN `title_id` TO `pagecontent_id`;
ALTER TABLE `cms_pagecontent_placeholders` ADD CONSTRAINT `cms_pagecontent_plac_pagecontent_id_2302b833_fk_cms_pagec` FOREIGN KEY (`pagecontent_id`) REFERENCES `cms_pagecontent` (`id`);
