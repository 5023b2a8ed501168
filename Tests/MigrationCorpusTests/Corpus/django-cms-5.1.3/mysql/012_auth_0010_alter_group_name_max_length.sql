ALTER TABLE `auth_group` MODIFY `name` varchar(150) NOT NULL;
