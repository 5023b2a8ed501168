// MySQL and MariaDB capture (issue 5).
