ALTER TABLE `auth_user` MODIFY `first_name` varchar(150) NOT NULL;
