import SchemaModel
import Testing

@testable import MySQLCapture

@Suite struct ConnectionURLTests {
    @Test func everyPart() throws {
        let settings = try ConnectionSettings.parse(
            "mysql://sync:p%40ss%3Aword@db.example.com:3307/shop%20db?ssl-mode=verify_identity&ssl-ca=/etc/ca.pem"
                + "&ssl-cert=/c.pem&ssl-key=/k.pem&socket=/run/mysqld.sock&defaults-file=/etc/sync.cnf")
        #expect(
            settings
                == ConnectionSettings(
                    user: "sync", password: "p@ss:word", host: "db.example.com", port: 3307, database: "shop db",
                    socket: "/run/mysqld.sock", tlsMode: .verifyIdentity, tlsCA: "/etc/ca.pem", tlsCert: "/c.pem",
                    tlsKey: "/k.pem", defaultsFile: "/etc/sync.cnf"))
    }

    @Test func minimalAndMariaDBScheme() throws {
        #expect(try ConnectionSettings.parse("mysql://") == ConnectionSettings())
        #expect(try ConnectionSettings.parse("mysql://db1") == ConnectionSettings(host: "db1"))
        #expect(try ConnectionSettings.parse("MariaDB://u@h/") == ConnectionSettings(user: "u", host: "h"))
        #expect(
            try ConnectionSettings.parse("mysql://u@[::1]:3306/d")
                == ConnectionSettings(user: "u", host: "::1", port: 3306, database: "d"))
        // The user part ends at the last @ before the path: an @ in a password needs no encoding.
        #expect(try ConnectionSettings.parse("mysql://u:a@b@h/d").password == "a@b")
        #expect(try ConnectionSettings.parse("mysql://h?ssl-mode=REQUIRED").tlsMode == .required)
        #expect(try ConnectionSettings.parse("mysql://h?ssl_mode=disabled").tlsMode == .disabled)
    }

    @Test(arguments: [
        "postgresql://u@h/d", "mysql://u:secret@h:0/d", "mysql://u:secret@h:70000/d", "mysql://u:secret@h:port/d",
        "mysql://u:secret@h/d?ssl-mode=maybe", "mysql://u:secret@h/d?password=secret", "mysql://u:secret@h/d?x=1",
        "mysql://u:secret@h/a/b", "mysql://u:secret@[::1/d", "mysql://u:secret@h/d?ssl-ca=",
        "mysql://u:secret@h/d?ssl-mode=DISABLED&ssl-ca=/ca.pem", "mysql://u:secret@h/d#frag",
    ])
    func malformed(url: String) throws {
        let error = try #require(throws: MySQLError.self) { try ConnectionSettings.parse(url) }
        #expect(error.code == .invalidURL)
        #expect(!error.description.contains("secret"))
        #expect(error.description.contains("hint: "))
    }
}

@Suite struct ServerFlavorTests {
    @Test func versions() {
        let maria = ServerFlavor(versionString: "10.11.19-MariaDB-0+deb12u1")
        #expect(maria.isMariaDB && maria.major == 10 && maria.minor == 11 && maria.patch == 19)
        #expect(maria.hasIgnoredIndexes && maria.hasSchemaComments && !maria.hasIndexExpressions)
        #expect(maria.checkConstraintsHaveTable)
        #expect(maria.innodbTablesView == "INNODB_SYS_TABLES")
        let old = ServerFlavor(versionString: "5.5.5-10.5.23-MariaDB-log")
        #expect(old.isMariaDB && old.major == 10 && old.minor == 5)
        #expect(!old.hasIgnoredIndexes && old.hasSchemaComments)
        let mysql = ServerFlavor(versionString: "8.0.36")
        #expect(!mysql.isMariaDB && mysql.major == 8)
        #expect(mysql.hasIndexExpressions && !mysql.checkConstraintsHaveTable && !mysql.hasIgnoredIndexes)
        #expect(mysql.innodbTablesView == "INNODB_TABLES")
        #expect(ServerFlavor(versionString: "8.4.0-commercial").atLeast(8, 4))
        #expect(!ServerFlavor(versionString: "5.7.44-log").hasIndexExpressions)
        #expect(!ServerFlavor(versionString: "8.0.15").hasCheckConstraints)
        #expect(ServerFlavor(versionString: "8.0.16").hasCheckConstraints)
        #expect(ServerFlavor(versionString: "10.2.44-MariaDB").hasCheckConstraints)
    }

    @Test func queriesFollowTheServer() {
        let maria = ServerFlavor(versionString: "10.11.19-MariaDB")
        let mysql = ServerFlavor(versionString: "8.0.36")
        #expect(CatalogQueries.statistics(["d"], maria).contains("IGNORED"))
        #expect(CatalogQueries.statistics(["d"], mysql).contains("IS_VISIBLE"))
        #expect(CatalogQueries.statistics(["d"], mysql).contains("EXPRESSION"))
        #expect(CatalogQueries.checkConstraints(["d"], maria).contains("LEVEL"))
        #expect(
            !CatalogQueries.checkConstraints(["d"], ServerFlavor(versionString: "10.5.9-MariaDB")).contains("LEVEL"))
        #expect(CatalogQueries.checkConstraints(["d"], mysql).contains("TABLE_CONSTRAINTS"))
        #expect(CatalogQueries.schemata(maria).contains("SCHEMA_COMMENT"))
        #expect(!CatalogQueries.schemata(mysql).contains("SCHEMA_COMMENT"))
        #expect(CatalogQueries.innodbTableIDs(mysql).contains("INNODB_TABLES"))
        #expect(CatalogQueries.session(maria, statementTimeout: 9).contains("SET SESSION max_statement_time = 9"))
        #expect(CatalogQueries.session(mysql, statementTimeout: 9).contains("SET SESSION max_execution_time = 9000"))
    }

    @Test func namesGoInAsHexLiterals() {
        #expect(CatalogQueries.literal("a'b") == "_utf8mb4 X'612762'")
        #expect(CatalogQueries.list(["x", "\u{E9}"]) == "(_utf8mb4 X'78', _utf8mb4 X'C3A9')")
        #expect(quoteIdentifier("a`b") == "`a``b`")
    }

    /// A backtick followed by a combining mark is one `Character`, but a backtick to the server.
    @Test func backticksAreDoubledOnBytes() {
        #expect(quoteIdentifier("a`\u{301}b") == "`a``\u{301}b`")
        #expect(quoteIdentifier("`\u{301}") == "```\u{301}`")
    }
}

@Suite struct AssemblyTests {
    @Test func defaultsAsTheServerPrintsThem() {
        // MariaDB quotes literals itself and says NULL for "no default".
        #expect(Assembler.defaultValue("'new'", dataType: "enum", extra: "", mariaDB: true) == "'new'")
        #expect(Assembler.defaultValue("NULL", dataType: "varchar", extra: "", mariaDB: true) == nil)
        #expect(Assembler.defaultValue(nil, dataType: "int", extra: "", mariaDB: true) == nil)
        #expect(Assembler.defaultValue("uuid()", dataType: "char", extra: "", mariaDB: true) == "uuid()")
        // MySQL 8 prints literals bare and marks expressions.
        #expect(Assembler.defaultValue("new", dataType: "enum", extra: "", mariaDB: false) == "'new'")
        #expect(Assembler.defaultValue("it's", dataType: "varchar", extra: "", mariaDB: false) == "'it''s'")
        #expect(Assembler.defaultValue("0.00", dataType: "decimal", extra: "", mariaDB: false) == "0.00")
        #expect(
            Assembler.defaultValue(
                "CURRENT_TIMESTAMP", dataType: "datetime", extra: "DEFAULT_GENERATED", mariaDB: false)
                == "CURRENT_TIMESTAMP")
        #expect(Assembler.defaultValue(nil, dataType: "varchar", extra: "", mariaDB: false) == nil)
    }

    @Test func partitionBounds() {
        #expect(Assembler.bound(method: "RANGE", description: "2023") == "LESS THAN (2023)")
        #expect(Assembler.bound(method: "RANGE", description: "MAXVALUE") == "LESS THAN MAXVALUE")
        #expect(
            Assembler.bound(method: "RANGE COLUMNS", description: "MAXVALUE,MAXVALUE")
                == "LESS THAN (MAXVALUE,MAXVALUE)")
        #expect(Assembler.bound(method: "LIST", description: "1,2") == "IN (1,2)")
        #expect(Assembler.bound(method: "LIST COLUMNS", description: "('a',1)") == "IN (('a',1))")
        #expect(Assembler.bound(method: "HASH", description: nil) == "")
        let create = """
            CREATE TABLE `t` (
              `a` int(11) DEFAULT NULL
            ) ENGINE=InnoDB
             PARTITION BY LIST (`a`)
            (PARTITION `p0` VALUES IN (0) ENGINE = InnoDB,
             PARTITION `p``x` DEFAULT ENGINE = InnoDB)
            """
        #expect(Assembler.defaultPartitions(create) == ["p`x"])
        #expect(Assembler.defaultPartitions(nil) == [])
    }

    @Test func indexDefinitions() {
        let columns = [IndexColumn(column: "a`b", prefixLength: 10), IndexColumn(column: "c", descending: true)]
        #expect(
            Assembler.indexDefinition(
                name: "ix", method: "BTREE", unique: false, columns: columns, comment: "it's", hidden: true,
                mariaDB: true) == "KEY `ix` (`a``b`(10),`c` DESC) USING BTREE COMMENT 'it''s' IGNORED")
        #expect(
            Assembler.indexDefinition(
                name: "f", method: "BTREE", unique: true, columns: [IndexColumn(expression: "lower(`x`)")],
                comment: nil, hidden: true, mariaDB: false) == "UNIQUE KEY `f` ((lower(`x`))) USING BTREE INVISIBLE")
        #expect(
            Assembler.indexDefinition(
                name: "ft", method: "FULLTEXT", unique: false, columns: [IndexColumn(column: "t")], comment: nil,
                hidden: false, mariaDB: true) == "FULLTEXT KEY `ft` (`t`)")
        #expect(Assembler.unqualified("select `d`.`t`.`x` from `d`.`t`", database: "d") == "select `t`.`x` from `t`")
    }

    @Test func errorsCarryTheNumberAndState() {
        let error = MySQLError(
            code: MySQLError.classify(errorNumber: 1045, sqlState: "28000"), context: "connecting",
            message: "Access denied for user 'u'@'h' (using password: YES)", errorNumber: 1045, sqlState: "28000",
            target: "mysql://u@h")
        #expect(error.code == .authenticationFailed)
        #expect(
            error.description.hasPrefix("MySQL authentication failed while connecting (mysql://u@h): Access denied"))
        #expect(error.description.contains("[error 1045, SQLSTATE 28000]"))
        #expect(MySQLError.classify(errorNumber: 2003, sqlState: "HY000") == .unreachable)
        #expect(MySQLError.classify(errorNumber: 1044, sqlState: "42000") == .insufficientPrivilege)
        #expect(MySQLError.classify(errorNumber: 1049, sqlState: "42000") == .databaseNotFound)
        #expect(MySQLError.classify(errorNumber: 1146, sqlState: "42S02") == .queryFailed)
    }
}

@Suite struct InnoDBDictionaryTests {
    @Test func namesAreDecodedByTheServerAndPartitionsStandForTheirTable() {
        let maria = ServerFlavor(versionString: "10.11.19-MariaDB")
        let sql = CatalogQueries.innodbTableIDs(maria)
        // `order@0020items` → `order items`: the server's own filename charset decodes each half.
        #expect(sql.contains("USING filename) USING utf8mb4"))
        #expect(sql.contains("SUBSTRING_INDEX(BASE, '/', 1)"))
        // `t#P#p0` (partitions; MySQL 8 `#p#`) and `#sql-…` (temporary tables) hold a literal #;
        // a real # is @0023. A partitioned table's id is its lowest partition's; `#sql-…` are left out.
        #expect(
            sql.contains("LOCATE('#', NAME) = 0 OR LOCATE(BINARY '#P#', NAME) > 0 OR LOCATE(BINARY '#p#', NAME) > 0"))
        #expect(sql.contains("SUBSTRING(NAME, LOCATE('/', NAME) + 1, 1) <> '#'"))
        #expect(sql.contains("MIN(TABLE_ID)") && sql.contains("GROUP BY BASE"))
        #expect(CatalogQueries.innodbForeignKeys(maria).contains("INNODB_SYS_FOREIGN"))
        #expect(CatalogQueries.innodbForeignKeyColumns(maria).contains("INNODB_SYS_FOREIGN_COLS"))
        let mysql = ServerFlavor(versionString: "8.0.36")
        #expect(CatalogQueries.innodbForeignKeys(mysql).hasSuffix("FROM information_schema.INNODB_FOREIGN"))
        #expect(CatalogQueries.innodbForeignKeyColumns(mysql).contains("INNODB_FOREIGN_COLS"))
    }

    @Test func actionFlags() {
        // dict0mem.h: 1 DELETE CASCADE, 2 DELETE SET NULL, 4 UPDATE CASCADE, 8 UPDATE SET NULL,
        // 16 DELETE NO ACTION, 32 UPDATE NO ACTION; none: RESTRICT. As MariaDB stored the fixture's.
        #expect(CatalogQueries.actions(fromInnoDBType: 0) == ("RESTRICT", "RESTRICT"))
        #expect(CatalogQueries.actions(fromInnoDBType: 4) == ("CASCADE", "RESTRICT"))
        #expect(CatalogQueries.actions(fromInnoDBType: 6) == ("CASCADE", "SET NULL"))
        #expect(CatalogQueries.actions(fromInnoDBType: 34) == ("NO ACTION", "SET NULL"))
        #expect(CatalogQueries.actions(fromInnoDBType: 48) == ("NO ACTION", "NO ACTION"))
        #expect(CatalogQueries.actions(fromInnoDBType: 9) == ("SET NULL", "CASCADE"))
    }

    @Test func keysAndColumnsJoinedById() {
        var keys = MySQLResultTable(columnCount: 7)
        for value in ["d/fk_b", "d", "b", "fk_b", "d", "a", "1", "d/fk_c", "d", "c", "fk_c", "e", "a", "0"] {
            keys.append(value)
        }
        var columns = MySQLResultTable(columnCount: 4)
        for value in ["d/fk_b", "1", "y", "k2", "d/fk_b", "0", "x", "k1", "d/fk_c", "0", "z", "k"] {
            columns.append(value)
        }
        let joined = BulkRead.joinForeignKeys(keys, columns)
        #expect(joined.columnCount == 9)
        let rows = joined.rows.map { row in (0..<9).map { row.text($0) } }
        #expect(
            rows == [
                ["d", "b", "fk_b", "y", "1", "d", "a", "k2", "1"],
                ["d", "b", "fk_b", "x", "0", "d", "a", "k1", "1"],
                ["d", "c", "fk_c", "z", "0", "e", "a", "k", "0"],
            ])
        var nulls = MySQLResultTable(columnCount: 2)
        nulls.append(nil as String?)
        nulls.append("v")
        #expect(nulls.rows.first?.string(0) == nil && nulls.rows.first?.string(1) == "v")
    }
}
