public import SchemaModel

import class Foundation.NSLock

/// What a reader may use of the last delivered capture: its binary log position and its
/// databases' names, known at once, and the rest of its catalog, decoded only when a reader
/// first asks for it (docs/capture-mysql.md).
///
/// A sync knows the position and the names from a skim of the committed snapshot's bytes;
/// decoding the whole snapshot (tens of MB for 10,000 tables) is left for the rare capture
/// that needs more (a view the server now reports invalid keeps its last known columns),
/// and then done once, whichever thread asks first.
public final class PreviousCapture: Sendable, Hashable {
    /// Where the binary log stood when the previous capture was read (MySQL and MariaDB).
    public let binaryLog: BinaryLogPosition?
    /// The previous capture's databases, by name.
    public let databaseNames: [String]
    private let decoded: Once

    /// A previous capture from what is known of it, and how to decode its whole catalog.
    /// `decode` runs at most once, on the first `catalog()`; its error is thrown to every caller.
    public init(
        binaryLog: BinaryLogPosition?, databaseNames: [String], decode: @escaping @Sendable () throws -> Catalog
    ) {
        self.binaryLog = binaryLog
        self.databaseNames = databaseNames
        decoded = Once(decode)
    }

    /// A previous capture whose catalog is at hand (tests, `diff` against a file).
    public convenience init(_ catalog: Catalog) {
        self.init(binaryLog: catalog.binaryLog, databaseNames: catalog.databases.map(\.name)) { catalog }
    }

    /// The whole previous catalog, decoded on the first call.
    public func catalog() throws -> Catalog {
        try decoded.value()
    }

    /// Whether the catalog was decoded (tests: a no-op sync never decodes it).
    public var isDecoded: Bool { decoded.isDone }

    /// The columns a relation of `kind` named `name` had in `database`'s first schema (MySQL's
    /// only one); nil when it had none there. Decodes the catalog on first use.
    public func columns(of name: String, kind: RelationKind, in database: String) throws -> [Column]? {
        try catalog().databases.first { $0.name == database }?.schemas.first?.relations.first {
            $0.name == name && $0.kind == kind
        }?.columns
    }

    /// The same object: a previous capture is one run's view of one snapshot.
    public static func == (lhs: PreviousCapture, rhs: PreviousCapture) -> Bool { lhs === rhs }

    /// Hashes the object's identity, as `==` compares it.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// A value computed once, on first use, under a lock.
    private final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var compute: (@Sendable () throws -> Catalog)?
        private var result: Result<Catalog, any Error>?

        init(_ compute: @escaping @Sendable () throws -> Catalog) {
            self.compute = compute
        }

        var isDone: Bool { lock.withLock { result != nil } }

        func value() throws -> Catalog {
            try lock.withLock {
                if let result { return result }
                let computed = Result { try compute!() }
                result = computed
                compute = nil
                return computed
            }.get()
        }
    }
}
