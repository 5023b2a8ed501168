import Foundation
import SchemaModel
import Testing

@testable import SchemaDiff

/// MySQL tables and columns left unmatched by name: paired by the binary log's hints, played
/// in order (chains, swaps), or without them by likeness (docs/diff.md).
@Suite struct RenameHintAndLikenessTests {
    typealias T = IdentitylessPairingTests

    static func rename(_ table: String, _ newTable: String, in database: String = "d", to newDatabase: String? = nil)
        -> NameChange
    {
        NameChange(
            object: .table, action: .rename, database: database, table: table, newDatabase: newDatabase ?? database,
            newName: newTable)
    }

    static func renameColumn(_ table: String, _ name: String, _ newName: String, in database: String = "d")
        -> NameChange
    {
        NameChange(object: .column, action: .rename, database: database, table: table, name: name, newName: newName)
    }

    /// Numbers the changes one statement each, unless they already share one.
    static func steps(_ changes: [NameChange]) -> [NameChange] {
        changes.enumerated().map { index, change in
            var copy = change
            if copy.statement == 0 { copy.statement = index + 1 }
            return copy
        }
    }

    static let position = BinaryLogPosition(file: "binlog.000001", position: 100, server: "id:1@h")

    /// `old` and `new` with a log of `changes` read from `old`'s position.
    static func logged(_ old: Catalog, _ new: Catalog, _ changes: [NameChange]) -> (Catalog, Catalog) {
        var before = old
        before.binaryLog = position
        var after = new
        after.binaryLog = BinaryLogPosition(file: "binlog.000001", position: 900, server: "id:1@h")
        after.nameChanges = NameChangeLog(since: position, changes: steps(changes))
        return (before, after)
    }

    @Test func chainsAndSwapsResolve() {
        let chain = RenameHints(Self.steps([Self.rename("a", "b"), Self.rename("b", "c")]))
        #expect(chain.tables == [.init(database: "d", name: "c"): .init(database: "d", name: "a")])
        // a → tmp, b → a, tmp → b: a swap.
        let swap = RenameHints(Self.steps([Self.rename("a", "tmp"), Self.rename("b", "a"), Self.rename("tmp", "b")]))
        #expect(
            swap.tables == [
                .init(database: "d", name: "a"): .init(database: "d", name: "b"),
                .init(database: "d", name: "b"): .init(database: "d", name: "a"),
            ])
        // A name renamed away and then given to a new table holds a new table.
        let reused = RenameHints(
            Self.steps([
                Self.rename("a", "b"), NameChange(object: .table, action: .replace, database: "d", table: "a"),
            ]))
        #expect(reused.tables == [.init(database: "d", name: "b"): .init(database: "d", name: "a")])
        // Across databases, and a column renamed after its table was: keyed by the table's earlier name.
        let moved = RenameHints(
            Self.steps([Self.rename("t", "u", in: "one", to: "two"), Self.renameColumn("u", "x", "y", in: "two")]))
        #expect(moved.tables == [.init(database: "two", name: "u"): .init(database: "one", name: "t")])
        #expect(moved.column("Y", ofEarlier: .init(database: "one", name: "t")) == "x")
        // One ALTER swapping two columns acts at once.
        var a = Self.renameColumn("t", "a", "b")
        var b = Self.renameColumn("t", "b", "a")
        a.statement = 7
        b.statement = 7
        let columns = RenameHints([a, b])
        #expect(columns.column("a", ofEarlier: .init(database: "d", name: "t")) == "b")
        #expect(columns.column("b", ofEarlier: .init(database: "d", name: "t")) == "a")
        // A column dropped after its rename: the name it had is new.
        let dropped = RenameHints(
            Self.steps([
                Self.renameColumn("t", "a", "b"),
                NameChange(object: .column, action: .replace, database: "d", table: "t", name: "b"),
            ]))
        #expect(dropped.column("b", ofEarlier: .init(database: "d", name: "t")) == nil)
    }

    @Test func hintsPairATableRenamedRebuiltAndChanged() throws {
        // RENAME TABLE t TO u, then a copying ALTER (new id) that also renames a column and adds one:
        // nothing but the log links t and u.
        var renamed = T.table("u", id: 9)
        renamed.columns[1].name = "alpha"
        renamed.columns.append(Column(name: "c", position: 4, type: "int(11)"))
        let (a, b) = Self.logged(
            T.catalog(["d": [T.table("t", id: 5)]]), T.catalog(["d": [renamed]]),
            // The statement spells the column names in another case: MySQL compares them without case.
            [Self.rename("t", "u"), Self.renameColumn("u", "A", "ALPHA")])
        #expect(
            try T().changes(a, b) == [
                "alter relation d.d.t -> d.d.u", "alter column u.a -> alpha", "create column u.- -> c",
            ])
        // Without the log, that is a drop and a create (columns differ in count).
        #expect(
            try T().changes(T.catalog(["d": [T.table("t", id: 5)]]), T.catalog(["d": [renamed]]))
                == ["drop relation d.d.t -> -", "create relation - -> d.d.u", "create not null u.id"])
    }

    @Test func hintsFromAnotherPositionAreNotUsed() throws {
        var (a, b) = Self.logged(
            T.catalog(["d": [T.table("t", id: 5)]]), T.catalog(["d": [T.table("u", id: 9), T.table("v", id: 10)]]),
            [Self.rename("t", "u")])
        b.nameChanges?.since.position = 50
        // Without usable hints, t is like both u and v: nothing pairs.
        #expect(try T().changes(a, b).filter { $0.hasPrefix("drop relation") } == ["drop relation d.d.t -> -"])
        b.nameChanges?.since = a.binaryLog!
        #expect(try T().changes(a, b).contains("alter relation d.d.t -> d.d.u"))
    }

    @Test func withACompleteLogLikenessPairsNothing() throws {
        // The log was read and says nothing about t: a drop and a create, however alike.
        let (a, b) = Self.logged(
            T.catalog(["d": [T.table("t", id: 5)]]), T.catalog(["d": [T.table("u", id: 9)]]), [])
        #expect(
            try T().changes(a, b) == ["drop relation d.d.t -> -", "create relation - -> d.d.u", "create not null u.id"])
    }

    @Test func likenessPairsARebuiltRenamedTable() throws {
        // Renamed and rebuilt (a new id), columns unchanged: alike, and the only candidates.
        #expect(
            try T().changes(T.catalog(["d": [T.table("t", id: 5)]]), T.catalog(["d": [T.table("u", id: 9)]]))
                == ["alter relation d.d.t -> d.d.u"])
        // Most names equal, definitions equal: alike.
        var renamedColumn = T.table("u", id: 9)
        renamedColumn.columns[2].name = "beta"
        #expect(
            try T().changes(T.catalog(["d": [T.table("t", id: 5)]]), T.catalog(["d": [renamedColumn]]))
                == ["alter relation d.d.t -> d.d.u", "alter column u.b -> beta"])
        // Every name equal, a type changed within its family (varchar → text): alike.
        var retyped = T.table("u", id: 9)
        retyped.columns[2].type = "text"
        #expect(
            try T().changes(T.catalog(["d": [T.table("t", id: 5)]]), T.catalog(["d": [retyped]]))
                == ["alter relation d.d.t -> d.d.u", "alter column u.b -> b"])
        // A type of another family and a name changed: not alike.
        var other = T.table("u", id: 9)
        other.columns[2].type = "datetime"
        other.columns[1].name = "alpha"
        #expect(
            try T().changes(T.catalog(["d": [T.table("t", id: 5)]]), T.catalog(["d": [other]])).first
                == "drop relation d.d.t -> -")
        // Half the names changed: not alike.
        var half = T.table(
            "u", id: 9,
            columns: [
                Column(name: "id", position: 1, type: "int(11)", nullable: false),
                Column(name: "x", position: 2, type: "int(11)"),
            ])
        let before = T.table(
            "t", id: 5,
            columns: [
                Column(name: "id", position: 1, type: "int(11)", nullable: false),
                Column(name: "y", position: 2, type: "int(11)"),
            ])
        #expect(
            try T().changes(T.catalog(["d": [before]]), T.catalog(["d": [half]])).first == "drop relation d.d.t -> -")
        half.columns[1].name = "y"
        #expect(
            try T().changes(T.catalog(["d": [before]]), T.catalog(["d": [half]])) == ["alter relation d.d.t -> d.d.u"])
    }

    @Test func likenessMustBeUniqueBothWays() throws {
        // Two alike candidates: nothing pairs.
        let result = try T().changes(
            T.catalog(["d": [T.table("t", id: 5)]]), T.catalog(["d": [T.table("u", id: 9), T.table("v", id: 10)]]))
        #expect(result.contains("drop relation d.d.t -> -"))
        #expect(result.filter { $0.hasPrefix("create relation") }.count == 2)
        // A one-column table is never paired by likeness.
        let single = [Column(name: "id", position: 1, type: "int(11)", nullable: false)]
        #expect(
            try T().changes(
                T.catalog(["d": [T.table("t", id: 5, columns: single)]]),
                T.catalog(["d": [T.table("u", id: 9, columns: single)]])
            ).first == "drop relation d.d.t -> -")
        // Views never pair by likeness.
        var view = T.table("v", id: nil)
        view.kind = .view
        var otherView = view
        otherView.name = "w"
        #expect(
            try T().changes(T.catalog(["d": [view]]), T.catalog(["d": [otherView]])).first == "drop relation d.d.v -> -"
        )
    }

    @Test func likenessAcrossDatabasesKeepsTheName() throws {
        // A partitioned table, or a rebuilt one, moved to another database under its name.
        var partitioned = T.table("p", id: nil)
        partitioned.kind = .partitionedTable
        #expect(
            try T().changes(
                T.catalog(["one": [partitioned], "two": []]), T.catalog(["one": [], "two": [partitioned]]))
                == ["alter relation one.one.p -> two.two.p"])
        // Another name in another database: not paired by likeness.
        var elsewhere = partitioned
        elsewhere.name = "q"
        #expect(
            try T().changes(T.catalog(["one": [partitioned], "two": []]), T.catalog(["one": [], "two": [elsewhere]]))
                .first == "drop relation one.one.p -> -")
        // A database dropped and another created with the same table: a drop and a create.
        let recreated = try T().changes(T.catalog(["one": [partitioned]]), T.catalog(["two": [partitioned]]))
        #expect(recreated.contains("drop relation one.one.p -> -"))
        #expect(recreated.contains("create relation - -> two.two.p"))
        // With hints, across databases under another name.
        let (a, b) = Self.logged(
            T.catalog(["one": [partitioned], "two": []]), T.catalog(["one": [], "two": [elsewhere]]),
            [Self.rename("p", "q", in: "one", to: "two")])
        #expect(try T().changes(a, b) == ["alter relation one.one.p -> two.two.q"])
    }

    @Test func likenessPairsOneColumnRenamedAndRetyped() throws {
        // content_json longtext → content json: the only column left over on each side, same
        // place, alike names.
        var content = T.table("t", id: 5)
        content.columns[1].name = "content_json"
        content.columns[1].type = "longtext"
        var after = content
        after.columns[1].name = "content"
        after.columns[1].type = "json"
        #expect(
            try T().changes(T.catalog(["d": [content]]), T.catalog(["d": [after]]))
                == ["alter column t.content_json -> content"])
        // Renamed, same type: a rename whatever the names.
        var renamed = T.table("t", id: 5)
        renamed.columns[1].name = "alpha"
        #expect(
            try T().changes(T.catalog(["d": [T.table("t", id: 5)]]), T.catalog(["d": [renamed]]))
                == ["alter column t.a -> alpha"])
        // Another column changed as well: in doubt, a drop and an add.
        after.columns[2].type = "text"
        #expect(
            try T().changes(T.catalog(["d": [content]]), T.catalog(["d": [after]]))
                == ["drop column t.content_json -> -", "alter column t.b -> b", "create column t.- -> content"])
        // At another place: a drop and an add.
        var moved = T.table("t", id: 5)
        moved.columns.remove(at: 1)
        moved.columns.append(Column(name: "alpha", position: 3, type: "int(11)"))
        moved.columns[1].position = 2
        #expect(
            try T().changes(T.catalog(["d": [T.table("t", id: 5)]]), T.catalog(["d": [moved]]))
                == ["drop column t.a -> -", "create column t.- -> alpha"])
    }

    /// Regression (review, 2g): a column dropped and another added at its place paired
    /// whatever their names and types.
    @Test func likenessNeverPairsColumnsWithNeitherTypeNorNameAlike() throws {
        var after = T.table("t", id: 5)
        after.columns[1].name = "created"
        after.columns[1].type = "datetime"
        #expect(
            try T().changes(T.catalog(["d": [T.table("t", id: 5)]]), T.catalog(["d": [after]]))
                == ["drop column t.a -> -", "create column t.- -> created"])
        #expect(Likeness.namesAlike("content_json", "content"))
        #expect(Likeness.namesAlike("user", "User_ID"))
        #expect(!Likeness.namesAlike("id", "page_id"))
        #expect(!Likeness.namesAlike("title", "status"))
    }

    /// Regression (review of issue 11, 2): alike names paired whatever the types: `created
    /// datetime` dropped and `created_by bigint` added at its place were a rename.
    @Test func likenessPairsAlikeNamesOnlyWithTypesOfOneFamily() throws {
        var before = T.table("t", id: 5)
        before.columns[1].name = "created"
        before.columns[1].type = "datetime"
        var after = T.table("t", id: 5)
        after.columns[1].name = "created_by"
        after.columns[1].type = "bigint(20)"
        #expect(
            try T().changes(T.catalog(["d": [before]]), T.catalog(["d": [after]]))
                == ["drop column t.created -> -", "create column t.- -> created_by"])
        after.columns[1].type = "timestamp"
        #expect(
            try T().changes(T.catalog(["d": [before]]), T.catalog(["d": [after]]))
                == ["alter column t.created -> created_by"])
        #expect(Likeness.compatible("longtext", "json"))
        #expect(!Likeness.compatible("datetime", "bigint(20)"))
    }

    /// Regression (review of issue 11, 3): a statement the parser could not follow left the
    /// column renames read before it as hints. A change without a name makes every column (or
    /// index) name of the table new from there on, and later renames start from new objects.
    @Test func aStatementThatCannotBeFollowedLeavesNoColumnOrIndexHints() {
        let lost = [
            Self.renameColumn("t", "a", "b"),
            NameChange(object: .index, action: .rename, database: "d", table: "t", name: "i", newName: "j"),
            NameChange(object: .column, action: .replace, database: "d", table: "t"),
            NameChange(object: .index, action: .replace, database: "d", table: "t"),
            Self.renameColumn("t", "b", "c"), Self.renameColumn("t", "x", "y"),
        ]
        let hints = RenameHints(Self.steps(lost))
        let t = RenameHints.Table(database: "d", name: "t")
        #expect(hints.columns[t] ?? [:] == [:])
        #expect(hints.indexes[t] ?? [:] == [:])
        // Without the unknown statement, the chain resolves.
        let followed = RenameHints(Self.steps([Self.renameColumn("t", "a", "b"), Self.renameColumn("t", "b", "c")]))
        #expect(followed.column("c", ofEarlier: t) == "a")
    }

    /// Regression (review, 2g): two-column tables (`id, name`: everywhere) paired by likeness
    /// with a type changed.
    @Test func smallTablesPairOnlyWhenEveryColumnIsEqualButTheTableName() throws {
        let before = T.table(
            "category", id: 5,
            columns: [
                Column(name: "id", position: 1, type: "int(11)", nullable: false),
                Column(name: "name", position: 2, type: "varchar(50)"),
            ])
        var after = before
        after.name = "tag"
        after.objectId = 9
        after.columns[1].type = "longtext"
        #expect(
            try T().changes(T.catalog(["d": [before]]), T.catalog(["d": [after]])).first
                == "drop relation d.d.category -> -")
        after.columns[1].type = "varchar(50)"
        #expect(
            try T().changes(T.catalog(["d": [before]]), T.catalog(["d": [after]]))
                == ["alter relation d.d.category -> d.d.tag"])
    }

    /// Regression (review, 2b): a column hint keyed by the table a statement named applies only
    /// to the table the log says that is. Swapped `a` and `b` (rebuilt), then a column of the
    /// new `b` (the old `a`) renamed `x` → `y`: the new `a` (the old `b`) has a `y` of its own,
    /// which is no rename of `a.x`.
    @Test func columnHintsFollowTheTableTheyNamed() throws {
        func table(_ name: String, _ id: Int64, _ second: String) -> Relation {
            T.table(
                name, id: id,
                columns: [
                    Column(name: "id", position: 1, type: "int(11)", nullable: false),
                    Column(name: second, position: 2, type: "int(11)"),
                    Column(name: "p", position: 3, type: "int(11)"),
                ])
        }
        let (a, b) = Self.logged(
            T.catalog(["d": [table("a", 5, "x"), table("b", 6, "y")]]),
            T.catalog(["d": [table("a", 9, "y"), table("b", 10, "y")]]),
            [Self.rename("a", "tmp"), Self.rename("b", "a"), Self.rename("tmp", "b"), Self.renameColumn("b", "x", "y")])
        let changes = try T().changes(a, b)
        #expect(!changes.contains("alter column a.x -> y"), "\(changes)")
        #expect(changes.contains("drop column a.x -> -"))
        let hints = RenameHints(Self.steps([Self.rename("a", "tmp"), Self.rename("b", "a"), Self.rename("tmp", "b")]))
        #expect(hints.earlierTable(of: .init(database: "d", name: "a")) == .init(database: "d", name: "b"))
        #expect(hints.earlierTable(of: .init(database: "d", name: "c")) == .init(database: "d", name: "c"))
        #expect(hints.earlierTable(of: .init(database: "d", name: "tmp")) == nil)
    }
}
