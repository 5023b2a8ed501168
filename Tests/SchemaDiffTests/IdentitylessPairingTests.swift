import Foundation
import SchemaModel
import Testing

@testable import SchemaDiff

/// The pairing of objects the server gives no identity (MySQL columns and indexes) by equal
/// definition, and of MySQL tables across databases by their InnoDB id (docs/diff.md).
@Suite struct IdentitylessPairingTests {
    static func table(_ name: String, id: Int64?, columns: [Column]? = nil, indexes: [Index] = []) -> Relation {
        Relation(
            name: name, kind: .table, objectId: id,
            columns: columns ?? [
                Column(name: "id", position: 1, type: "int(11)", nullable: false),
                Column(name: "a", position: 2, type: "varchar(10)"),
                Column(name: "b", position: 3, type: "varchar(10)"),
            ],
            indexes: indexes)
    }

    static func index(_ name: String, _ column: String, comment: String? = nil) -> Index {
        Index(
            name: name, method: IndexMethod(rawValue: "BTREE"), columns: [IndexColumn(column: column)],
            definition: "KEY `\(name)` (`\(column)`) USING BTREE", comment: comment)
    }

    static func catalog(_ databases: [String: [Relation]], kind: SourceKind = .mariadb) -> Catalog {
        Catalog(
            name: "src", kind: kind, serverVersion: "10.11.19-MariaDB", location: "mysql://h",
            databases: databases.map { Database(name: $0.key, schemas: [Schema(name: $0.key, relations: $0.value)]) }
        ).canonicalized()
    }

    func changes(_ a: Catalog, _ b: Catalog) throws -> [String] {
        let changes = SchemaDiffer.diff(from: a, to: b)
        #expect(SchemaDiffer.comparable(try CatalogApplier.apply(changes, to: a)) == SchemaDiffer.comparable(b))
        return changes.map(\.summary)
    }

    @Test func aNewTableIdAloneIsNoChangeForMySQLButIsForPostgreSQL() throws {
        // TRUNCATE, OPTIMIZE, a copying ALTER: the same table under a new InnoDB id.
        #expect(
            try changes(Self.catalog(["d": [Self.table("t", id: 5)]]), Self.catalog(["d": [Self.table("t", id: 9)]]))
                == [])
        // And a rename still pairs by the new id afterwards.
        #expect(
            try changes(Self.catalog(["d": [Self.table("t", id: 9)]]), Self.catalog(["d": [Self.table("u", id: 9)]]))
                == ["alter relation d.d.t -> d.d.u"])
        // PostgreSQL OIDs are never renewed for the same table: a new one is a new table's.
        let pg = SchemaDiffer.diff(
            from: Self.catalog(["d": [Self.table("t", id: 5)]], kind: .postgresql),
            to: Self.catalog(["d": [Self.table("t", id: 9)]], kind: .postgresql))
        #expect(pg.map(\.summary) == ["alter relation d.d.t -> d.d.t"])
        #expect(
            SchemaDiffer.comparable(Self.catalog(["d": [Self.table("t", id: 5)]], kind: .postgresql))?.databases[0]
                .schemas[0].relations[0].objectId == 5)
    }

    @Test func aColumnRenameIsOneAlter() throws {
        var renamed = Self.table("t", id: 5)
        renamed.columns[1].name = "alpha"
        #expect(
            try changes(Self.catalog(["d": [Self.table("t", id: 5)]]), Self.catalog(["d": [renamed]]))
                == ["alter column t.a -> alpha"])
        // Also without a table identity (a MyISAM table).
        var plain = Self.table("t", id: nil)
        plain.columns[1].name = "alpha"
        #expect(
            try changes(Self.catalog(["d": [Self.table("t", id: nil)]]), Self.catalog(["d": [plain]]))
                == ["alter column t.a -> alpha"])
    }

    @Test func aRenameThatAlsoChangesTheDefinitionIsADropAndAnAddWhenTheLogSaysNothing() throws {
        var changed = Self.table("t", id: 5)
        changed.columns[1].name = "alpha"
        changed.columns[1].type = "varchar(20)"
        // The binary log was read and names no rename: a drop and an add. (Without the log,
        // likeness pairs them: RenameHintAndLikenessTests.)
        let (a, b) = RenameHintAndLikenessTests.logged(
            Self.catalog(["d": [Self.table("t", id: 5)]]), Self.catalog(["d": [changed]]), [])
        #expect(try changes(a, b) == ["drop column t.a -> -", "create column t.- -> alpha"])
    }

    @Test func twoEqualLeftoversProveNothing() throws {
        // a and b have the same definition: renamed together, their position tells them apart.
        var both = Self.table("t", id: 5)
        both.columns[1].name = "x"
        both.columns[2].name = "y"
        #expect(
            try changes(Self.catalog(["d": [Self.table("t", id: 5)]]), Self.catalog(["d": [both]]))
                == ["alter column t.a -> x", "alter column t.b -> y"])
        // Two equal indexes renamed at once: nothing to tell them apart, so drops and creates.
        let before = Self.table("t", id: 5, indexes: [Self.index("i1", "a"), Self.index("i2", "a")])
        let after = Self.table("t", id: 5, indexes: [Self.index("j1", "a"), Self.index("j2", "a")])
        let result = try changes(Self.catalog(["d": [before]]), Self.catalog(["d": [after]]))
        #expect(result.filter { $0.hasPrefix("drop index") }.count == 2)
        #expect(result.filter { $0.hasPrefix("create index") }.count == 2)
    }

    @Test func anIndexRenameIsOneAlter() throws {
        let before = Self.table("t", id: 5, indexes: [Self.index("ix_a", "a", comment: "c")])
        let after = Self.table("t", id: 5, indexes: [Self.index("ix_alpha", "a", comment: "c")])
        #expect(
            try changes(Self.catalog(["d": [before]]), Self.catalog(["d": [after]]))
                == ["alter index t.ix_a -> ix_alpha"])
        let other = Self.table("t", id: 5, indexes: [Self.index("ix_b", "b")])
        #expect(
            try changes(Self.catalog(["d": [before]]), Self.catalog(["d": [other]]))
                == ["drop index t.ix_a -> -", "create index t.- -> ix_b"])
    }

    @Test func objectsWithAnIdentityNeverPairByDefinition() throws {
        // PostgreSQL: a column dropped and another added with the same definition is just that.
        var before = Self.table("t", id: 5)
        for index in before.columns.indices { before.columns[index].objectId = Int64(index + 1) }
        var after = before
        after.columns[2].name = "c"
        after.columns[2].objectId = 9
        #expect(
            try changes(
                Self.catalog(["d": [before]], kind: .postgresql), Self.catalog(["d": [after]], kind: .postgresql))
                == ["drop column t.b -> -", "create column t.- -> c"])
    }

    @Test func aTableMovedToAnotherDatabaseIsOneAlter() throws {
        let a = Self.catalog(["one": [Self.table("t", id: 5), Self.table("u", id: 6)], "two": []])
        let b = Self.catalog(["one": [Self.table("u", id: 6)], "two": [Self.table("t", id: 5)]])
        #expect(try changes(a, b) == ["alter relation one.one.t -> two.two.t"])
        // Renamed on the way, and into a database created at the same time.
        var renamed = Self.table("t2", id: 5)
        renamed.comment = "moved"
        let c = Self.catalog(["one": [Self.table("u", id: 6)], "three": [renamed]])
        let summaries = try changes(a, c)
        #expect(summaries.contains("alter relation one.one.t -> three.three.t2"))
        #expect(!summaries.contains { $0.hasPrefix("drop relation") || $0.hasPrefix("create relation") })
        // Out of a database that is dropped.
        let d = Self.catalog(["two": [Self.table("t", id: 5), Self.table("u", id: 6)]])
        let gone = try changes(a, d)
        #expect(gone.contains("alter relation one.one.t -> two.two.t"))
        #expect(gone.contains("alter relation one.one.u -> two.two.u"))
        #expect(gone.contains("drop database one -> -"))
    }

    @Test func postgresOIDsNeverPairAcrossDatabases() throws {
        // OIDs are per database in PostgreSQL: the same number elsewhere is another table.
        let a = Self.catalog(["one": [Self.table("t", id: 5)], "two": []], kind: .postgresql)
        let b = Self.catalog(["one": [], "two": [Self.table("t", id: 5)]], kind: .postgresql)
        let result = try changes(a, b)
        #expect(result == ["drop relation one.one.t -> -", "create relation - -> two.two.t", "create not null t.id"])
    }

    @Test func anIdFoundTwiceOnOneSideMovesNothing() throws {
        let a = Self.catalog(["one": [Self.table("t", id: 5)], "two": [], "three": []])
        let b = Self.catalog(["one": [], "two": [Self.table("t", id: 5)], "three": [Self.table("t", id: 5)]])
        let result = try changes(a, b)
        #expect(result.contains("drop relation one.one.t -> -"))
        #expect(result.filter { $0.hasPrefix("create relation") }.count == 2)
    }
}
