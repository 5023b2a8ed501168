#!/usr/bin/env python3
"""Prints the SQL of a synthetic MariaDB/MySQL catalog for bench/mysql/run.sh.

    generate.py TABLES PREFIX   # TABLES tables spread over 5 databases PREFIX_1 … PREFIX_5

Each database gets TABLES/5 InnoDB tables t00001…: an auto-increment primary key, a few
columns (varchar, decimal, datetime with a default, a nullable reference), a secondary
index, every 4th table a foreign key to the table before it, every 10th a comment, every
25th a unique key, every 50th a trigger; each database one view per 100 tables and one
function. Deterministic: the same arguments give the same bytes.
"""
import sys

tables = int(sys.argv[1])
prefix = sys.argv[2]
per_db = tables // 5
out = sys.stdout
out.write("SET SESSION sql_mode = 'STRICT_TRANS_TABLES';\nSET foreign_key_checks = 0;\n")
for d in range(1, 6):
    db = f"{prefix}_{d}"
    out.write(f"DROP DATABASE IF EXISTS `{db}`;\n")
    out.write(f"CREATE DATABASE `{db}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;\nUSE `{db}`;\n")
    for i in range(1, per_db + 1):
        name = f"t{i:05d}"
        cols = [
            "id INT UNSIGNED NOT NULL AUTO_INCREMENT",
            "name VARCHAR(100) NOT NULL",
            "amount DECIMAL(12,2) NOT NULL DEFAULT 0.00",
            "created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP",
            "parent_id INT UNSIGNED NULL",
            "note TEXT NULL",
            "PRIMARY KEY (id)",
            f"KEY ix_{name}_name (name)",
        ]
        if i % 25 == 0:
            cols.append(f"UNIQUE KEY uq_{name}_name_amount (name, amount)")
        if i % 4 == 0 and i > 1:
            cols.append(f"CONSTRAINT fk_{name}_parent FOREIGN KEY (parent_id) REFERENCES t{i - 1:05d} (id)")
        comment = f" COMMENT='table {i}'" if i % 10 == 0 else ""
        out.write(f"CREATE TABLE {name} (\n  " + ",\n  ".join(cols) + f"\n) ENGINE=InnoDB{comment};\n")
        if i % 50 == 0:
            out.write(
                f"CREATE TRIGGER trg_{name} BEFORE INSERT ON {name} FOR EACH ROW SET NEW.name = trim(NEW.name);\n")
        if i % 100 == 0:
            out.write(f"CREATE VIEW v_{name} AS SELECT id, name FROM {name};\n")
    out.write("CREATE FUNCTION f_double(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;\n")
