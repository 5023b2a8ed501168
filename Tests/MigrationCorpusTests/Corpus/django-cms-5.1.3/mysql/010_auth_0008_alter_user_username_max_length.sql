ALTER TABLE `auth_user` MODIFY `username` varchar(150) NOT NULL;
