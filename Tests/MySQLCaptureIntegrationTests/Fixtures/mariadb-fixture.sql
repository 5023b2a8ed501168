-- =============================================================================
-- schemasync MariaDB 10.11 capture fixture
--
-- Runs inside ONE freshly created, empty database (no CREATE DATABASE / USE here).
-- The database is expected to be created as
--   CREATE DATABASE <name> CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci
-- (the server default under scripts/mariadb.sh); every table names its own
-- charset and collation, so only the database default depends on it.
-- Needs a utf8mb4 connection (non-ASCII identifiers) and an account that may set
-- DEFINER to `schemasync`@`localhost` (scripts/mariadb.sh creates it with ALL
-- PRIVILEGES, so loading as schemasync or as root both work). Deterministic: every
-- view, trigger and routine names its DEFINER explicitly; no data rows.
--
-- STATEMENT SEPARATOR CONVENTION
--   * Statements are separated by lines consisting exactly of `;;` (nothing else on
--     the line, no trailing spaces). Statements themselves carry no trailing `;`
--     (routine and trigger bodies contain `;` and are left alone).
--   * Lines beginning with `--` are comments; they only appear between statements,
--     never inside one.
--   * The single line `DELIMITER ;;` below exists only so that the mariadb command
--     line client can load the file directly:  mariadb <db> < mariadb-fixture.sql
--     It is not SQL: a harness drops it.
--   A harness therefore: splits the text on "\n;;\n" (i.e. on lines equal to `;;`),
--   drops from each piece the lines beginning with `--` and the line `DELIMITER ;;`,
--   trims whitespace, skips empty pieces, and executes each piece as one statement.
--
-- Inventory and the server's information_schema output: mariadb-fixture-notes.md.
-- =============================================================================
DELIMITER ;;

-- -----------------------------------------------------------------------------
-- Core tables: column types, defaults, generated / invisible columns, indexes
-- -----------------------------------------------------------------------------
CREATE TABLE customers (
  id             INT UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'Surrogate key, AUTO_INCREMENT starts at 1000',
  customer_no    INT(8) UNSIGNED ZEROFILL NOT NULL COMMENT 'Zero-filled customer number',
  email          VARCHAR(191) NOT NULL,
  display_name   VARCHAR(100) CHARACTER SET latin1 COLLATE latin1_german2_ci NOT NULL DEFAULT '' COMMENT 'latin1 column in a utf8mb4 table',
  status         ENUM('new','active','blocked') NOT NULL DEFAULT 'new',
  flags          SET('vip','newsletter','beta') NOT NULL DEFAULT 'newsletter,beta',
  age            TINYINT UNSIGNED NULL CHECK (age < 150),
  balance        DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  profile        JSON NULL COMMENT 'JSON is LONGTEXT + json_valid() CHECK in MariaDB',
  notes          TEXT NULL,
  avatar         BLOB NULL,
  created_at     DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at     DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  public_id      CHAR(36) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL DEFAULT (uuid()) COMMENT 'Expression default',
  trial_ends_on  DATE NULL DEFAULT (CURRENT_DATE + INTERVAL 1 DAY),
  email_domain   VARCHAR(191) AS (substring_index(email, '@', -1)) VIRTUAL COMMENT 'Virtual generated, indexed',
  balance_cents  BIGINT AS (balance * 100) STORED COMMENT 'Stored generated',
  legacy_code    VARCHAR(20) NULL DEFAULT 'none' INVISIBLE COMMENT 'Invisible column',
  referred_by    INT UNSIGNED NULL DEFAULT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_customers_email UNIQUE KEY (email),
  UNIQUE KEY uq_customers_no (customer_no),
  KEY ix_customers_name_prefix (display_name(10)) COMMENT 'Prefix index: first 10 chars',
  KEY ix_customers_created_desc (created_at DESC, id),
  KEY ix_customers_domain (email_domain),
  KEY ix_customers_status (status) IGNORED,
  KEY ix_customers_balance (balance) USING BTREE,
  CONSTRAINT fk_customers_referred_by FOREIGN KEY (referred_by)
    REFERENCES customers (id) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT chk_customers_balance CHECK (balance >= -1000)
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC AUTO_INCREMENT=1000
  DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Customers; it''s quoted: ''single'' and "double"'
;;
CREATE TABLE products (
  sku            VARCHAR(32) NOT NULL,
  name           VARCHAR(200) NOT NULL,
  description    TEXT NULL,
  manual         TEXT NULL COMMENT 'UNIQUE on TEXT: a long unique (HASH) key',
  price          DECIMAL(12,2) NOT NULL CHECK (price >= 0),
  weight_g       MEDIUMINT UNSIGNED NULL,
  active         TINYINT(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (sku),
  UNIQUE KEY uq_products_manual (manual),
  FULLTEXT KEY ft_products_text (name, description) COMMENT 'Full-text search'
) ENGINE=InnoDB ROW_FORMAT=COMPACT DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
  COMMENT='Products (COMPACT rows, binary collation)'
;;
CREATE TABLE coupons (
  code           VARCHAR(20) NOT NULL,
  percent        TINYINT UNSIGNED NOT NULL,
  PRIMARY KEY (code),
  CONSTRAINT chk_coupons_percent CHECK (percent BETWEEN 1 AND 100)
) ENGINE=InnoDB ROW_FORMAT=COMPRESSED KEY_BLOCK_SIZE=8
  DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci
  COMMENT='Compressed rows, utf8mb3'
;;
CREATE TABLE orders (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  customer_id    INT UNSIGNED NOT NULL,
  coupon_code    VARCHAR(20) NULL,
  status         ENUM('new','paid','shipped','cancelled') NOT NULL DEFAULT 'new',
  total          DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  placed_on      DATE NOT NULL DEFAULT '2000-01-01',
  note           VARCHAR(100) NULL DEFAULT NULL,
  PRIMARY KEY (id),
  KEY ix_orders_customer (customer_id, placed_on DESC),
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id)
    REFERENCES customers (id) ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT fk_orders_coupon FOREIGN KEY (coupon_code)
    REFERENCES coupons (code) ON DELETE SET NULL ON UPDATE NO ACTION,
  CONSTRAINT chk_orders_total CHECK (total >= 0)
) ENGINE=InnoDB ROW_FORMAT=REDUNDANT DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci
  COMMENT='Orders (REDUNDANT rows)'
;;
-- Table name with a space; composite primary key.
CREATE TABLE `order items` (
  order_id       BIGINT UNSIGNED NOT NULL,
  line_no        SMALLINT UNSIGNED NOT NULL,
  sku            VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  quantity       INT NOT NULL DEFAULT 1 CHECK (quantity > 0),
  unit_price     DECIMAL(12,2) NOT NULL,
  PRIMARY KEY (order_id, line_no),
  KEY ix_order_items_sku (sku),
  CONSTRAINT fk_order_items_order FOREIGN KEY (order_id)
    REFERENCES orders (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT fk_order_items_product FOREIGN KEY (sku)
    REFERENCES products (sku) ON DELETE NO ACTION ON UPDATE NO ACTION
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='Order lines; table name has a space'
;;
CREATE TABLE warehouses (
  region         CHAR(2) NOT NULL,
  code           VARCHAR(10) NOT NULL,
  name           VARCHAR(100) NOT NULL,
  PRIMARY KEY (region, code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
;;
-- Composite foreign keys; every FK action: CASCADE, SET NULL, RESTRICT, NO ACTION.
CREATE TABLE shipments (
  id               INT UNSIGNED NOT NULL AUTO_INCREMENT,
  order_id         BIGINT UNSIGNED NULL,
  line_no          SMALLINT UNSIGNED NULL,
  warehouse_region CHAR(2) NULL,
  warehouse_code   VARCHAR(10) NULL,
  shipped_at       TIMESTAMP NULL DEFAULT NULL,
  PRIMARY KEY (id),
  CONSTRAINT fk_shipments_item FOREIGN KEY (order_id, line_no)
    REFERENCES `order items` (order_id, line_no) ON DELETE CASCADE ON UPDATE RESTRICT,
  CONSTRAINT fk_shipments_warehouse FOREIGN KEY (warehouse_region, warehouse_code)
    REFERENCES warehouses (region, code) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT chk_shipments_item CHECK ((order_id IS NULL) = (line_no IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='Composite foreign keys'
;;
-- SPATIAL index on a NOT NULL geometry column.
CREATE TABLE places (
  id             INT UNSIGNED NOT NULL AUTO_INCREMENT,
  name           VARCHAR(100) NOT NULL,
  location       POINT NOT NULL,
  area           POLYGON NULL,
  PRIMARY KEY (id),
  SPATIAL KEY sp_places_location (location) COMMENT 'R-tree'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='Spatial data'
;;
-- MEMORY engine: HASH indexes (its default) and an explicit BTREE one.
CREATE TABLE session_cache (
  token          CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  user_id        INT UNSIGNED NULL,
  expires_at     DATETIME NOT NULL,
  PRIMARY KEY (token) USING HASH,
  KEY ix_session_user (user_id) USING HASH,
  KEY ix_session_expires (expires_at) USING BTREE
) ENGINE=MEMORY DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='MEMORY table'
;;
-- Aria engine (MariaDB): PAGE rows, transactional; more column types.
CREATE TABLE audit_log (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  event          VARCHAR(50) NOT NULL,
  happened_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  bits           BIT(3) NOT NULL DEFAULT b'101',
  fiscal_year    YEAR NULL DEFAULT 2024,
  ratio          DOUBLE NOT NULL DEFAULT 0.5,
  raw_id         BINARY(16) NULL,
  ref_uuid       UUID NULL,
  client_ip      INET6 NULL,
  detail         VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NULL,
  PRIMARY KEY (id),
  KEY ix_audit_log_event (event, happened_at)
) ENGINE=Aria ROW_FORMAT=PAGE TRANSACTIONAL=1 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='Aria engine, PAGE rows'
;;
CREATE TABLE legacy_counters (
  name           CHAR(16) NOT NULL,
  hits           INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (name)
) ENGINE=MyISAM ROW_FORMAT=FIXED DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci
  COMMENT='MyISAM, FIXED rows, latin1'
;;
-- -----------------------------------------------------------------------------
-- Hard identifiers
-- -----------------------------------------------------------------------------
-- Reserved words as table, column and index names; an unnamed table CHECK.
CREATE TABLE `select` (
  `from`         VARCHAR(20) NOT NULL,
  `order`        INT NULL,
  `user`         VARCHAR(10) NULL,
  PRIMARY KEY (`from`),
  KEY `where` (`order`),
  CHECK (`order` >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='Reserved words'
;;
-- Table a`b (backtick in the name) with column x`y, and an unnamed foreign key
-- (default actions) to `select`: the server names it a`b_ibfk_1.
CREATE TABLE `a``b` (
  `x``y`         INT NOT NULL,
  `plain`        VARCHAR(20) NULL,
  PRIMARY KEY (`x``y`),
  FOREIGN KEY (`plain`) REFERENCES `select` (`from`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='Backtick in table and column names'
;;
CREATE TABLE `café_ünïcode` (
  id             INT NOT NULL,
  `名前`          VARCHAR(50) NOT NULL COMMENT 'Japanese column name',
  `ü`            INT NULL,
  PRIMARY KEY (id),
  KEY `ix_名前` (`名前`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='Unicode table, column and index names'
;;
-- 64 characters (MariaDB's identifier limit) for the table and for one column.
CREATE TABLE tbl_name_of_exactly_sixty_four_chars_abcdefghijklmnopqrstuvwxyz0 (
  id             INT NOT NULL,
  col_name_of_exactly_sixty_four_chars_abcdefghijklmnopqrstuvwxyz0 VARCHAR(10) NULL COMMENT '64-character column name',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='64-character table name'
;;
-- -----------------------------------------------------------------------------
-- Partitioned tables
-- -----------------------------------------------------------------------------
CREATE TABLE part_range (
  id             INT NOT NULL,
  sold_on        DATE NOT NULL,
  amount         DECIMAL(12,2) NOT NULL,
  PRIMARY KEY (id, sold_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='RANGE partitions'
PARTITION BY RANGE (year(sold_on)) (
  PARTITION p2022 VALUES LESS THAN (2023) COMMENT = 'Up to 2022',
  PARTITION p2023 VALUES LESS THAN (2024),
  PARTITION pmax VALUES LESS THAN MAXVALUE
)
;;
CREATE TABLE part_list (
  id             INT NOT NULL,
  region_id      INT NULL,
  label          VARCHAR(20) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='LIST partitions, with NULL and DEFAULT'
PARTITION BY LIST (region_id) (
  PARTITION p_eu VALUES IN (1, 2, 3),
  PARTITION p_us VALUES IN (4, 5),
  PARTITION p_none VALUES IN (NULL),
  PARTITION p_other DEFAULT
)
;;
CREATE TABLE part_hash (
  id             INT NOT NULL,
  payload        VARCHAR(50) NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='HASH partitions'
PARTITION BY HASH (id) PARTITIONS 4
;;
CREATE TABLE part_key (
  code           VARCHAR(16) NOT NULL,
  payload        VARCHAR(50) NULL,
  PRIMARY KEY (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='KEY partitions'
PARTITION BY KEY (code) PARTITIONS 3
;;
CREATE TABLE part_range_columns (
  sold_on        DATE NOT NULL,
  store_id       INT NOT NULL,
  amount         DECIMAL(12,2) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='RANGE COLUMNS partitions (two columns)'
PARTITION BY RANGE COLUMNS (sold_on, store_id) (
  PARTITION p_old VALUES LESS THAN ('2023-01-01', 0),
  PARTITION p_2023 VALUES LESS THAN ('2024-01-01', 100),
  PARTITION p_max VALUES LESS THAN (MAXVALUE, MAXVALUE)
)
;;
CREATE TABLE part_list_columns (
  country        CHAR(2) NOT NULL,
  tier           VARCHAR(10) NOT NULL,
  amount         DECIMAL(12,2) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='LIST COLUMNS partitions (two columns)'
PARTITION BY LIST COLUMNS (country, tier) (
  PARTITION p_gold VALUES IN (('DE', 'gold'), ('FR', 'gold')),
  PARTITION p_silver VALUES IN (('DE', 'silver'), ('FR', 'silver'), ('IT', 'silver'))
)
;;
CREATE TABLE part_range_hash (
  id             INT NOT NULL,
  sold_on        DATE NOT NULL,
  PRIMARY KEY (id, sold_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
  COMMENT='RANGE partitions with HASH sub-partitions'
PARTITION BY RANGE (year(sold_on))
SUBPARTITION BY HASH (to_days(sold_on)) SUBPARTITIONS 2 (
  PARTITION p2023 VALUES LESS THAN (2024),
  PARTITION pmax VALUES LESS THAN MAXVALUE
)
;;
-- -----------------------------------------------------------------------------
-- Views
-- -----------------------------------------------------------------------------
CREATE ALGORITHM=MERGE DEFINER=`schemasync`@`localhost` SQL SECURITY INVOKER
VIEW v_active_customers AS
  SELECT id, email, status, balance FROM customers WHERE status = 'active'
  WITH CASCADED CHECK OPTION
;;
CREATE ALGORITHM=TEMPTABLE DEFINER=`schemasync`@`localhost` SQL SECURITY DEFINER
VIEW v_order_totals (customer_id, order_count, total_amount) AS
  SELECT o.customer_id, count(*), sum(o.total)
  FROM orders o JOIN v_active_customers c ON c.id = o.customer_id
  GROUP BY o.customer_id
;;
-- -----------------------------------------------------------------------------
-- Triggers
-- -----------------------------------------------------------------------------
CREATE DEFINER=`schemasync`@`localhost` TRIGGER trg_orders_bi
BEFORE INSERT ON orders FOR EACH ROW
BEGIN
  IF NEW.total < 0 THEN
    SET NEW.total = 0;
  END IF;
  SET NEW.note = coalesce(NEW.note, 'created by trigger');
END
;;
CREATE DEFINER=`schemasync`@`localhost` TRIGGER trg_orders_bi_round
BEFORE INSERT ON orders FOR EACH ROW FOLLOWS trg_orders_bi
SET NEW.total = round(NEW.total, 2)
;;
CREATE DEFINER=`schemasync`@`localhost` TRIGGER trg_customers_au
AFTER UPDATE ON customers FOR EACH ROW
BEGIN
  IF NOT (OLD.status <=> NEW.status) THEN
    INSERT INTO audit_log (event, detail)
    VALUES ('customer status', concat(OLD.id, ': ', OLD.status, ' -> ', NEW.status));
  END IF;
END
;;
CREATE DEFINER=`schemasync`@`localhost` TRIGGER `trg_order items_bd`
BEFORE DELETE ON `order items` FOR EACH ROW
BEGIN
  IF OLD.quantity > 100 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'large order lines cannot be deleted';
  END IF;
END
;;
-- -----------------------------------------------------------------------------
-- Routines
-- -----------------------------------------------------------------------------
CREATE DEFINER=`schemasync`@`localhost` FUNCTION fn_discounted(
  p_amount DECIMAL(12,2), p_percent TINYINT UNSIGNED)
RETURNS DECIMAL(12,2)
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'Amount after a percentage discount'
BEGIN
  DECLARE v_result DECIMAL(12,2);
  SET v_result = round(p_amount * (100 - coalesce(p_percent, 0)) / 100, 2);
  RETURN v_result;
END
;;
CREATE DEFINER=`schemasync`@`localhost` PROCEDURE sp_customer_orders(
  IN p_customer_id INT UNSIGNED, OUT p_count INT, INOUT p_note VARCHAR(100))
READS SQL DATA SQL SECURITY DEFINER
COMMENT 'Counts a customer''s orders'
BEGIN
  SELECT count(*) INTO p_count FROM orders WHERE customer_id = p_customer_id;
  SET p_note = concat(coalesce(p_note, ''), ' (', p_count, ' orders)');
END
;;
