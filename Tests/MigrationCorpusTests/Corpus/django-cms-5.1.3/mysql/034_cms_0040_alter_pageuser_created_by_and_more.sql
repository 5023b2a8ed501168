ALTER TABLE `cms_pageuser` DROP FOREIGN KEY `cms_pageuser_created_by_id_8e9fbf83_fk_auth_user_id`;
ALTER TABLE `cms_pageuser` MODIFY `created_by_id` integer NULL;
ALTER TABLE `cms_pageuser` ADD CONSTRAINT `cms_pageuser_created_by_id_8e9fbf83_fk_auth_user_id` FOREIGN KEY (`created_by_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `cms_pageusergroup` DROP FOREIGN KEY `cms_pageusergroup_created_by_id_7d57fa39_fk_auth_user_id`;
ALTER TABLE `cms_pageusergroup` MODIFY `created_by_id` integer NULL;
ALTER TABLE `cms_pageusergroup` ADD CONSTRAINT `cms_pageusergroup_created_by_id_7d57fa39_fk_auth_user_id` FOREIGN KEY (`created_by_id`) REFERENCES `auth_user` (`id`);
