import Foundation
import SchemaModel
import Testing

@Suite struct CanonicalTests {
    static func relation(_ name: String) -> Relation {
        Relation(
            name: name, kind: .table,
            columns: [
                Column(name: "b", position: 2, type: "text"), Column(name: "a", position: 1, type: "integer"),
            ],
            foreignKeys: [
                ForeignKey(name: "z_fk", columns: ["a"], referencedTable: "t", referencedColumns: ["id"]),
                ForeignKey(name: "a_fk", columns: ["b"], referencedTable: "t", referencedColumns: ["id"]),
            ],
            indexes: [
                Index(name: "y", method: IndexMethod(rawValue: "btree"), columns: [], definition: "y"),
                Index(name: "x", method: IndexMethod(rawValue: "btree"), columns: [], definition: "x"),
            ],
            partitions: [
                Partition(
                    name: "p2", bound: "b",
                    subpartitions: [Partition(name: "s2", bound: ""), Partition(name: "s1", bound: "")]),
                Partition(name: "p1", bound: "a"),
            ])
    }

    @Test func sortsEveryList() {
        let catalog = Catalog(
            name: "c", kind: .postgresql, serverVersion: "15.18", location: "postgresql://h/db",
            databases: [
                Database(name: "zeta"),
                Database(
                    name: "alpha",
                    schemas: [
                        Schema(
                            name: "s", relations: [Self.relation("t2"), Self.relation("t1")],
                            routines: [
                                Routine(
                                    name: "f", kind: .function, arguments: "b integer", language: "sql", bodyHash: "1"),
                                Routine(
                                    name: "f", kind: .function, arguments: "a text", language: "sql", bodyHash: "2"),
                            ]),
                        Schema(name: "a"),
                    ]),
            ]
        ).canonicalized()
        #expect(catalog.databases.map(\.name) == ["alpha", "zeta"])
        let schema = catalog.databases[0].schemas[1]
        #expect(catalog.databases[0].schemas.map(\.name) == ["a", "s"])
        #expect(schema.relations.map(\.name) == ["t1", "t2"])
        #expect(schema.routines.map(\.arguments) == ["a text", "b integer"])
        let relation = schema.relations[0]
        #expect(relation.columns.map(\.name) == ["a", "b"])
        #expect(relation.foreignKeys.map(\.name) == ["a_fk", "z_fk"])
        #expect(relation.indexes.map(\.name) == ["x", "y"])
        #expect(relation.partitions.map(\.name) == ["p1", "p2"])
        #expect(relation.partitions[1].subpartitions.map(\.name) == ["s1", "s2"])
    }

    @Test func roundTripsThroughJSON() throws {
        let relation = Self.relation("t").canonicalized()
        let data = try JSONEncoder().encode(relation)
        #expect(try JSONDecoder().decode(Relation.self, from: data) == relation)
    }

    @Test func openSetsEncodeAsTheirName() throws {
        let data = try JSONEncoder().encode([RelationKind.materializedView.rawValue])
        #expect(String(decoding: data, as: UTF8.self) == #"["materialized view"]"#)
        #expect(try JSONDecoder().decode(RelationKind.self, from: Data(#""foreign table""#.utf8)) == .foreignTable)
        #expect(RelationKind(rawValue: "something new").description == "something new")
        #expect(ReferentialAction.cascade.jdbcCode == 0)
        #expect(ReferentialAction.setDefault.jdbcCode == 4)
        #expect(ReferentialAction.noAction.jdbcCode == 3)
    }
}
