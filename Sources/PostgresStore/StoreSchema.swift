import Foundation

/// The store's tables (docs/store.md), in a schema of their own, and their version.
package enum StoreSchema {
    /// The version of the tables this binary writes and reads. A store of a newer version is
    /// refused; an older one is upgraded by `schemasync store init` (and on first use).
    package static let version = 1

    /// The default schema.
    package static let defaultName = "schemasync"

    /// A schema name the tool can use unquoted: lower-case letters, digits, `_`, up to 63 bytes.
    package static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 63 else { return false }
        return (("a"..."z").contains(first) || first == "_")
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The statements that create version 1 in `schema` (idempotent), as `store init
    /// --print-sql` shows them; the version row is written by the tool after them.
    package static func createStatements(schema: String) -> [String] {
        let s = quoted(schema)
        return [
            "CREATE SCHEMA IF NOT EXISTS \(s)",
            """
            CREATE TABLE IF NOT EXISTS \(s).store_version (
                version      integer     NOT NULL,
                installed_by text        NOT NULL,
                installed_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS \(s).sources (
                id             serial      PRIMARY KEY,  -- the advisory lock's second key
                source         text        NOT NULL UNIQUE,
                fence          bigint      NOT NULL DEFAULT 0,  -- raised by every lock taken
                snapshot       bytea,                     -- committed snapshot: zlib'd canonical JSON
                snapshot_size  integer,                   -- its size uncompressed
                committed_at   timestamptz,
                last_synced_at timestamptz
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS \(s).pending (
                source        text        PRIMARY KEY REFERENCES \(s).sources (source) ON DELETE CASCADE,
                purpose       text        NOT NULL CHECK (purpose IN ('sync', 'retirement')),
                destination   jsonb       NOT NULL,
                sent_to       text        NOT NULL,
                body_count    integer     NOT NULL,
                events        integer     NOT NULL,       -- events in the bodies, counted by the tool
                acknowledged  integer     NOT NULL DEFAULT 0,
                fence         bigint      NOT NULL,       -- the lock's fence when it began
                snapshot      bytea       NOT NULL,       -- zlib'd canonical JSON
                snapshot_size integer     NOT NULL,
                began_at      timestamptz NOT NULL DEFAULT now(),
                progressed_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS \(s).pending_bodies (
                source text    NOT NULL REFERENCES \(s).pending (source) ON DELETE CASCADE,
                seq    integer NOT NULL,
                body   bytea   NOT NULL,
                PRIMARY KEY (source, seq)
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS \(s).deliveries (
                id           bigserial   PRIMARY KEY,
                source       text        NOT NULL,
                purpose      text        NOT NULL,
                destination  jsonb       NOT NULL,
                sent_to      text        NOT NULL,
                requests     integer     NOT NULL,
                events       integer     NOT NULL,
                bytes        bigint      NOT NULL,
                began_at     timestamptz NOT NULL,
                completed_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX IF NOT EXISTS deliveries_source ON \(s).deliveries (source, completed_at)",
        ]
    }

    /// `name` as an SQL identifier, in double quotes (a valid name holds none to escape).
    package static func quoted(_ name: String) -> String {
        "\"" + name + "\""
    }

    /// The whole script, for a DBA to read or run.
    package static func script(schema name: String, installedBy: String) -> String {
        let schema = quoted(name)
        var text = "BEGIN;\n"
        for statement in createStatements(schema: name) { text += statement + ";\n" }
        text +=
            "INSERT INTO \(schema).store_version (version, installed_by)\n"
            + "    SELECT \(version), '\(installedBy.replacingOccurrences(of: "'", with: "''"))'\n"
            + "    WHERE NOT EXISTS (SELECT 1 FROM \(schema).store_version WHERE version >= \(version));\n"
        return text + "COMMIT;\n"
    }
}
