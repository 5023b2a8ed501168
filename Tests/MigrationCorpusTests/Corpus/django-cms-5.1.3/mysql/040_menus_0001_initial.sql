CREATE TABLE `menus_cachekey` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `language` varchar(255) NOT NULL, `site` integer UNSIGNED NOT NULL CHECK (`site` >= 0), `key` varchar(255) NOT NULL);
