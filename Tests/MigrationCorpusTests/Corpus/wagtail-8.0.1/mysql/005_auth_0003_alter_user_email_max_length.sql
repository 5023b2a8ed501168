ALTER TABLE `auth_user` MODIFY `email` varchar(254) NOT NULL;
