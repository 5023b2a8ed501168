CREATE TABLE `wagtailcore_locale` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `language_code` varchar(100) NOT NULL UNIQUE);
