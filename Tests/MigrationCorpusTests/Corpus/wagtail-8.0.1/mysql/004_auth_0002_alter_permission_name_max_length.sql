ALTER TABLE `auth_permission` MODIFY `name` varchar(255) NOT NULL;
