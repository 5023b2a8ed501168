ALTER TABLE `auth_user` MODIFY `last_login` datetime(6) NULL;
