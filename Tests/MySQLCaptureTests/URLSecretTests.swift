import Foundation
import SchemaCapture
import SchemaModel
import Testing

@testable import MySQLCapture

@Suite struct URLSecretTests {
    static let passwords = [
        "pa?ss", "p/ss", "p#ss", "p@ss", "p:ss", "a/b?c#d@e:f", "x@y/z?ssl-mode=q",
        // Delimiters followed by a combining mark (one `Character` with it), non-ASCII spaces.
        "\u{301}pass", ":\u{301}pass", "p@\u{301}ss", "p\u{a0}ss", "p/\u{301}s?\u{301}s#\u{301}",
    ]

    @Test(arguments: passwords)
    func theUserPartEndsAtTheLastAt(password: String) throws {
        let url = "mysql://u:\(password)@h:3307/db?ssl-mode=REQUIRED"
        let settings = try ConnectionSettings.parse(url)
        #expect(
            settings
                == ConnectionSettings(
                    user: "u", password: password, host: "h", port: 3307, database: "db", tlsMode: .required))
        #expect(Redaction.redact(url) == "mysql://u@h:3307/db?ssl-mode=REQUIRED")
        let target = MySQLCatalogReader(connection: url).target
        let hidden = !target.contains(password)
        #expect(hidden)
        #expect(Redaction.redact("MariaDB://u:\(password)@h/db") == "MariaDB://u@h/db")
    }

    @Test(arguments: passwords)
    func malformedURLsNeverShowThePassword(password: String) throws {
        for rest in ["h:99999/db", "h/db?ssl-mode=SOMETIMES", "h/db?bogus=1", "h/db?x", "h/a/b", "h/db#f", "[::1/db"] {
            let url = "mysql://u:\(password)@\(rest)"
            let error = try #require(throws: MySQLError.self) { try ConnectionSettings.parse(url) }
            let hidden = !error.description.contains(password) && !(error.target ?? "").contains(password)
            #expect(hidden, "a password of \(password.count) characters, then \(rest)")
            #expect(error.code == .invalidURL)
        }
    }

    /// The URL is read on bytes: a `:`, `@`, `/`, `?` or `#` followed by a combining mark is
    /// still a delimiter (read on `Character`s, `u:\u{301}S3cr3t` was all user name, and shown).
    @Test func delimitersFollowedByACombiningMark() throws {
        #expect(
            try ConnectionSettings.parse("mysql://u:\u{301}S3cr3t@h:3307/db")
                == ConnectionSettings(user: "u", password: "\u{301}S3cr3t", host: "h", port: 3307, database: "db"))
        #expect(
            try ConnectionSettings.parse("mysql://u:S3cr3t@\u{301}h/\u{301}db")
                == ConnectionSettings(user: "u", password: "S3cr3t", host: "\u{301}h", database: "\u{301}db"))
        for rest in ["h:\u{301}3307/db", "h/db?\u{301}ssl-mode=REQUIRED", "h/db#\u{301}x", "h/a/\u{301}b"] {
            let url = "mysql://u:\u{301}S3cr3t@\(rest)"
            let error = try #require(throws: MySQLError.self) { try ConnectionSettings.parse(url) }
            let hidden = !error.description.contains("S3cr3t")
            #expect(hidden, "\(rest)")
        }
        #expect(MySQLCatalogReader(connection: "MySQL://u:\u{301}S3cr3t@h/db").target == "MySQL://u@h/db")
    }

    @Test func queryErrorsNameOnlyKnownKeys() throws {
        let empty = try #require(throws: MySQLError.self) { try ConnectionSettings.parse("mysql://h/db?ssl-ca=") }
        #expect(empty.message == "the query parameter ssl-ca has no value")
        let other = try #require(throws: MySQLError.self) { try ConnectionSettings.parse("mysql://h/db?pa55word") }
        #expect(other.message == "a query parameter has no value")
        let unknown = try #require(throws: MySQLError.self) { try ConnectionSettings.parse("mysql://h/db?s3cret=1") }
        let named = unknown.message.contains("s3cret")
        #expect(!named)
    }

    @Test func anAtAfterTheUserPartMustBeEncoded() throws {
        for url in [
            "mysql://h/d@b", "mysql://u@h/d@b", "mysql://u@h?ssl-ca=a@b",
            // No user part, a port, and an @ later: never user "db1" with password "3306/…".
            "mysql://db1:3306/shop?ssl-mode=VERIFY_IDENTITY&socket=/run/a@b", "mysql://db1:3306?socket=/a@b",
        ] {
            let error = try #require(throws: MySQLError.self) { try ConnectionSettings.parse(url) }
            #expect(error.message.contains("%40"), "\(url)")
            let hidden = !error.description.contains(":pw")
            #expect(hidden)
        }
        // With a password, an @ later is read as the password's: the documented price of allowing any password.
        #expect(try ConnectionSettings.parse("mysql://u:pw@h/d?ssl-ca=/a@b").password == "pw@h/d?ssl-ca=/a")
        #expect(
            try ConnectionSettings.parse("mysql://u@h/d%40b?ssl-ca=a%40b")
                == ConnectionSettings(user: "u", host: "h", database: "d@b", tlsCA: "a@b"))
    }

    @Test func postgresURLsKeepLibpqRules() {
        // libpq: the user part ends at the last @ before the first /.
        #expect(Redaction.redact("postgresql://u:p@ss@h/db") == "postgresql://u@h/db")
        #expect(Redaction.redact("postgresql://u@h/db?x=a@b") == "postgresql://u@h/db?x=a@b")
        #expect(Redaction.redact("mysql://h/db?ssl-ca=a%40b") == "mysql://h/db?ssl-ca=a%40b")
    }
}
