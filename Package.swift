// swift-tools-version: 6.1
import PackageDescription

/// Strict settings shared by every Swift target.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "schemasync",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "schemasync", targets: ["schemasync"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // The system calls every module shares: whole writes, folder flushes, NDJSON appends
        // under a lock, run-blocking, the clock, the one loopback check.
        .target(name: "SystemSupport", swiftSettings: strictSettings),

        // The canonical schema model: pure value types, no I/O.
        .target(name: "SchemaModel", swiftSettings: strictSettings),

        // What every connector shares: capture options, name filters, URL redaction,
        // and the helper that keeps blocking C calls off the cooperative pool.
        .target(name: "SchemaCapture", dependencies: ["SchemaModel"], swiftSettings: strictSettings),

        // libpq, imported by PostgresCapture only.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Reads a PostgreSQL cluster's catalog into the model.
        .target(
            name: "PostgresCapture",
            dependencies: ["CLibPQ", "SchemaModel", "SchemaCapture"],
            swiftSettings: strictSettings
        ),

        // MariaDB Connector/C (libmysqlclient), imported by MySQLCapture only.
        .systemLibrary(
            name: "CMySQLClient",
            pkgConfig: "mysqlclient",
            providers: [.apt(["default-libmysqlclient-dev"])]
        ),
        // Reads a MySQL or MariaDB server's catalog into the model.
        .target(
            name: "MySQLCapture",
            dependencies: [
                "CMySQLClient", "SchemaModel", "SchemaCapture", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        // The differ: two catalogs in, ordered schema changes out; and their applier. Pure.
        .target(name: "SchemaDiff", dependencies: ["SchemaModel"], swiftSettings: strictSettings),

        // Reports of schema changes for people (text, Markdown) and programs (JSON). Pure.
        .target(name: "ChangeReport", dependencies: ["SchemaDiff", "SchemaModel"], swiftSettings: strictSettings),

        // The event contract (docs/events.md): schema changes to DataArts events and back. Pure.
        .target(name: "EventContract", dependencies: ["SchemaDiff", "SchemaModel"], swiftSettings: strictSettings),

        // Delivery: request envelopes, batching, and the sinks (NDJSON file, stdout).
        .target(
            name: "EventDelivery", dependencies: ["EventContract", "SystemSupport"], swiftSettings: strictSettings),

        // Authentication to DataArts Studio: AK/SK request signing (SDK-HMAC-SHA256). Pure.
        .target(
            name: "DataArtsAuth", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings),

        // libcurl, imported by HTTPClient only.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // HTTP requests over libcurl: TLS verification, timeouts, connection reuse, proxies.
        .target(name: "HTTPClient", dependencies: ["CCurl", "SystemSupport"], swiftSettings: strictSettings),

        // The DataArts Studio sink: signed or token requests, IAM tokens, retries with backoff.
        .target(
            name: "DataArtsClient",
            dependencies: ["HTTPClient", "DataArtsAuth", "EventDelivery"],
            swiftSettings: strictSettings),

        // The local receiver: the async-bulk API on loopback, replaying what it accepts.
        .target(
            name: "LocalReceiver",
            dependencies: [
                "DataArtsAuth", "EventContract", "EventDelivery", "SchemaModel", "SchemaDiff", "SnapshotStore",
                "SystemSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),

        // The configuration file: YAML, ${VAR} from the environment, errors naming key and line.
        .target(
            name: "SyncConfig", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: strictSettings),

        // The sync of one source: the delivery protocol, the drop guard.
        .target(
            name: "SyncEngine",
            dependencies: [
                "SchemaModel", "SchemaCapture", "SchemaDiff", "EventContract", "EventDelivery", "SnapshotStore",
                "SystemSupport",
            ],
            swiftSettings: strictSettings),

        // zlib, imported by PostgresStore only (the store's compressed snapshots).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The snapshot store in PostgreSQL: shared by several runners, locks that die with
        // their holder (docs/store.md). Reuses PostgresCapture's libpq connection.
        .target(
            name: "PostgresStore",
            dependencies: ["CZlib", "PostgresCapture", "SchemaCapture", "SchemaModel", "SnapshotStore"],
            swiftSettings: strictSettings),

        // Canonical snapshot JSON and the on-disk store (atomic writes, locks).
        .target(name: "SnapshotStore", dependencies: ["SchemaModel", "SystemSupport"], swiftSettings: strictSettings),

        // Every command, as a library the tests can drive.
        .target(
            name: "SchemaSyncCommands",
            dependencies: [
                "SchemaModel", "SchemaCapture", "PostgresCapture", "MySQLCapture", "SnapshotStore", "SchemaDiff",
                "ChangeReport", "EventContract", "EventDelivery", "SyncConfig", "SyncEngine", "HTTPClient",
                "DataArtsAuth", "DataArtsClient", "LocalReceiver", "SystemSupport", "PostgresStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The thin executable: bootstraps logging, runs the root command.
        .executableTarget(
            name: "schemasync",
            dependencies: [
                "SchemaSyncCommands",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        .testTarget(name: "SchemaModelTests", dependencies: ["SchemaModel"], swiftSettings: strictSettings),
        // Random catalogs and mutations for the replay-law tests (test code only).
        .target(
            name: "SchemaTestSupport", dependencies: ["SchemaModel", "SchemaCapture", "SchemaDiff", "EventContract"],
            path: "Tests/SchemaTestSupport",
            swiftSettings: strictSettings),
        .testTarget(
            name: "SchemaDiffTests",
            dependencies: ["SchemaDiff", "SchemaModel", "SchemaTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChangeReportTests",
            dependencies: ["ChangeReport", "SchemaDiff", "SchemaModel", "SchemaTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EventContractTests",
            dependencies: ["EventContract", "SchemaDiff", "SchemaModel", "SchemaTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EventDeliveryTests",
            dependencies: ["EventDelivery", "EventContract", "SystemSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DataArtsAuthTests",
            dependencies: ["DataArtsAuth"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "SystemSupportTests", dependencies: ["SystemSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "SyncEngineTests",
            dependencies: [
                "SyncEngine", "SnapshotStore", "EventDelivery", "EventContract", "SchemaCapture", "SchemaModel",
                "SchemaDiff", "SchemaTestSupport", "PostgresStore", "PostgresCapture",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "SyncConfigTests", dependencies: ["SyncConfig"], swiftSettings: strictSettings),
        .testTarget(
            name: "SchemaCaptureTests",
            dependencies: ["SchemaCapture", "SchemaModel"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SnapshotStoreTests",
            dependencies: ["SnapshotStore", "SchemaModel"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PostgresCaptureTests",
            dependencies: ["PostgresCapture", "SchemaModel"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PostgresCaptureIntegrationTests",
            dependencies: [
                "PostgresCapture", "SchemaCapture", "SchemaModel", "SnapshotStore", "SchemaDiff", "EventContract",
                "SchemaTestSupport",
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HTTPClientTests", dependencies: ["HTTPClient", "SchemaTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "DataArtsClientTests",
            dependencies: [
                "DataArtsClient", "DataArtsAuth", "EventDelivery", "HTTPClient", "LocalReceiver", "SchemaTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LocalReceiverTests",
            dependencies: [
                "LocalReceiver", "DataArtsAuth", "EventContract", "EventDelivery", "SchemaModel", "SchemaDiff",
                "SnapshotStore", "SchemaTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MySQLCaptureTests",
            dependencies: ["MySQLCapture", "SchemaModel"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MySQLCaptureIntegrationTests",
            dependencies: [
                "MySQLCapture", "SchemaCapture", "SchemaModel", "SnapshotStore", "SchemaDiff", "EventContract",
                "SchemaTestSupport",
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        // Real migration histories (Tests/MigrationCorpusTests/Corpus) replayed on PostgreSQL and
        // MariaDB: how many of PostgreSQL's renames MariaDB reports too (issue 11).
        .testTarget(
            name: "MigrationCorpusTests",
            dependencies: [
                "PostgresCapture", "MySQLCapture", "SchemaCapture", "SchemaModel", "SchemaDiff", "SchemaTestSupport",
            ],
            resources: [.copy("Corpus")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SchemaSyncCommandsTests",
            dependencies: [
                "SchemaSyncCommands", "SnapshotStore", "SchemaModel", "SchemaDiff", "EventContract", "DataArtsAuth",
                "ChangeReport", "LocalReceiver", "SchemaTestSupport", "schemasync", "PostgresStore", "PostgresCapture",
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
