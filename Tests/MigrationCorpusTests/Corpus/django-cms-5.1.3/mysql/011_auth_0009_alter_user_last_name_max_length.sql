ALTER TABLE `auth_user` MODIFY `last_name` varchar(150) NOT NULL;
