import Foundation

/// Which server a connection reached, from its version string: MariaDB or MySQL, and the version.
public struct ServerFlavor: Sendable, Hashable {
    /// Whether the server is MariaDB (its version string says `MariaDB`).
    public var isMariaDB: Bool
    /// Major, minor and patch numbers (`10`, `11`, `19`).
    public var major: Int
    /// The minor version number.
    public var minor: Int
    /// The patch number.
    public var patch: Int

    /// Reads a version string: `10.11.19-MariaDB-0+deb12u1`, `5.5.5-10.6.12-MariaDB`, `8.0.36`, `8.4.0-commercial`.
    public init(versionString: String) {
        isMariaDB = versionString.lowercased().contains("mariadb")
        var text = Substring(versionString)
        // Old MariaDB servers prefix `5.5.5-` for clients that cannot read a major version of 10.
        if isMariaDB && text.hasPrefix("5.5.5-") { text = text.dropFirst(6) }
        let numbers = text.prefix { $0.isNumber || $0 == "." }.split(separator: ".").map { Int($0) ?? 0 }
        major = numbers.count > 0 ? numbers[0] : 0
        minor = numbers.count > 1 ? numbers[1] : 0
        patch = numbers.count > 2 ? numbers[2] : 0
    }

    /// Whether the version is at least `major.minor`.
    public func atLeast(_ major: Int, _ minor: Int) -> Bool {
        (self.major, self.minor) >= (major, minor)
    }

    /// MariaDB 10.6+: `STATISTICS.IGNORED`.
    var hasIgnoredIndexes: Bool { isMariaDB && atLeast(10, 6) }
    /// MariaDB 10.5+: `SCHEMATA.SCHEMA_COMMENT`.
    var hasSchemaComments: Bool { isMariaDB && atLeast(10, 5) }
    /// MySQL 8.0.13+: functional key parts in `STATISTICS.EXPRESSION`; 8.0+: `IS_VISIBLE`.
    var hasIndexExpressions: Bool { !isMariaDB && major >= 8 }
    /// MariaDB 10.2+ and MySQL 8.0.16+: `CHECK_CONSTRAINTS`.
    var hasCheckConstraints: Bool {
        isMariaDB ? atLeast(10, 2) : (major, minor, patch) >= (8, 0, 16)
    }
    /// MariaDB: `CHECK_CONSTRAINTS` has `TABLE_NAME`; MySQL needs `TABLE_CONSTRAINTS` for the table.
    var checkConstraintsHaveTable: Bool { isMariaDB }
    /// MariaDB 10.5.10+: `CHECK_CONSTRAINTS.LEVEL` (`Column` / `Table`).
    var checkConstraintsHaveLevel: Bool { isMariaDB && (major, minor, patch) >= (10, 5, 10) }
    /// The InnoDB dictionary table with table ids: `INNODB_SYS_TABLES` (MariaDB, MySQL 5.7) or `INNODB_TABLES` (MySQL 8).
    var innodbTablesView: String { !isMariaDB && major >= 8 ? "INNODB_TABLES" : "INNODB_SYS_TABLES" }
    /// The InnoDB dictionary table of foreign keys (`…_COLS` for their columns).
    var innodbForeignView: String { !isMariaDB && major >= 8 ? "INNODB_FOREIGN" : "INNODB_SYS_FOREIGN" }
}
