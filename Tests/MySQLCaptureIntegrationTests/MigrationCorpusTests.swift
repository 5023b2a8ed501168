import Foundation
import SchemaCapture
import SchemaDiff
import SchemaModel
import SchemaTestSupport
import Testing

@testable import MySQLCapture

extension BinaryLogSuites {
    /// Rename migrations shaped as Django's and Alembic's MySQL schema editors write them (the
    /// operations named in each step), run step by step on MariaDB and synced after each step:
    /// how many of the renames they perform are reported as renames, with the binary log
    /// readable and without it, and that no rename is reported that did not happen.
    @Suite struct MigrationCorpusTests {
        /// A rename a migration performs: `table old -> new` or `column table.old -> new`.
        typealias Rename = String

        struct Step {
            var name: String
            var statements: [String]
            var renames: [Rename]
        }

        struct History {
            var name: String
            var setup: [String]
            var steps: [Step]
        }

        static let histories: [History] = [
            History(
                name: "django polls: RenameModel, RenameField, RenameField + AlterField",
                setup: [
                    "CREATE TABLE polls_question (id bigint AUTO_INCREMENT PRIMARY KEY, question_text varchar(200) NOT NULL, "
                        + "pub_date datetime(6) NOT NULL)",
                    "CREATE TABLE polls_choice (id bigint AUTO_INCREMENT PRIMARY KEY, choice_text varchar(200) NOT NULL, "
                        + "votes integer NOT NULL, question_id bigint NOT NULL)",
                    "ALTER TABLE polls_choice ADD CONSTRAINT polls_choice_question_id_c5b4b260_fk_polls_question_id "
                        + "FOREIGN KEY (question_id) REFERENCES polls_question (id)",
                ],
                steps: [
                    Step(
                        name: "0002 RenameModel Question -> Poll",
                        statements: [
                            "ALTER TABLE `polls_question` RENAME TO `polls_poll`",
                            "ALTER TABLE `polls_choice` DROP FOREIGN KEY `polls_choice_question_id_c5b4b260_fk_polls_question_id`",
                            "ALTER TABLE `polls_choice` ADD CONSTRAINT `polls_choice_question_id_c5b4b260_fk_polls_poll_id` "
                                + "FOREIGN KEY (`question_id`) REFERENCES `polls_poll` (`id`)",
                        ], renames: ["table polls_question -> polls_poll"]),
                    Step(
                        name: "0003 RenameField Choice.question -> poll",
                        statements: [
                            "ALTER TABLE `polls_choice` DROP FOREIGN KEY `polls_choice_question_id_c5b4b260_fk_polls_poll_id`",
                            "ALTER TABLE `polls_choice` RENAME COLUMN `question_id` TO `poll_id`",
                            "ALTER TABLE `polls_choice` ADD CONSTRAINT `polls_choice_poll_id_8a1b2c3d_fk_polls_poll_id` "
                                + "FOREIGN KEY (`poll_id`) REFERENCES `polls_poll` (`id`)",
                        ], renames: ["column polls_choice.question_id -> poll_id"]),
                    Step(
                        name: "0004 RenameField Poll.question_text -> text, AlterField max_length=300",
                        statements: [
                            "ALTER TABLE `polls_poll` RENAME COLUMN `question_text` TO `text`",
                            "ALTER TABLE `polls_poll` MODIFY `text` varchar(300) NOT NULL",
                        ], renames: ["column polls_poll.question_text -> text"]),
                ]),
            History(
                name: "alembic accounts: rename_table, alter_column(new_column_name=…, type_=…)",
                setup: [
                    "CREATE TABLE user_account (id INTEGER NOT NULL AUTO_INCREMENT, name VARCHAR(30) NOT NULL, "
                        + "fullname VARCHAR(100), PRIMARY KEY (id))",
                    "CREATE TABLE address (id INTEGER NOT NULL AUTO_INCREMENT, email_address VARCHAR(100) NOT NULL, "
                        + "user_id INTEGER NOT NULL, PRIMARY KEY (id), FOREIGN KEY(user_id) REFERENCES user_account (id))",
                ],
                steps: [
                    Step(
                        name: "rename user_account -> users, name -> username",
                        statements: [
                            "RENAME TABLE user_account TO users",
                            "ALTER TABLE users CHANGE name username VARCHAR(30) NOT NULL",
                        ], renames: ["table user_account -> users", "column users.name -> username"]),
                    Step(
                        name: "email_address -> email, String(255)",
                        statements: ["ALTER TABLE address CHANGE email_address email VARCHAR(255) NOT NULL"],
                        renames: ["column address.email_address -> email"]),
                    Step(
                        name: "rename address -> user_address, create_foreign_key",
                        statements: [
                            "RENAME TABLE address TO user_address",
                            "ALTER TABLE user_address ADD CONSTRAINT fk_user_address_users FOREIGN KEY(user_id) REFERENCES users (id)",
                        ], renames: ["table address -> user_address"]),
                ]),
            History(
                name: "django blog: RenameModel of a model with a ManyToManyField",
                setup: [
                    "CREATE TABLE blog_post (id bigint AUTO_INCREMENT PRIMARY KEY, title varchar(100) NOT NULL)",
                    "CREATE TABLE blog_tag (id bigint AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL)",
                    "CREATE TABLE blog_post_tags (id bigint AUTO_INCREMENT PRIMARY KEY, post_id bigint NOT NULL, "
                        + "tag_id bigint NOT NULL, UNIQUE KEY blog_post_tags_post_id_tag_id_uniq (post_id, tag_id), "
                        + "CONSTRAINT blog_post_tags_post_id_fk FOREIGN KEY (post_id) REFERENCES blog_post (id), "
                        + "CONSTRAINT blog_post_tags_tag_id_fk FOREIGN KEY (tag_id) REFERENCES blog_tag (id))",
                ],
                steps: [
                    Step(
                        name: "0002 RenameModel Post -> Article",
                        statements: [
                            "ALTER TABLE `blog_post` RENAME TO `blog_article`",
                            "ALTER TABLE `blog_post_tags` DROP FOREIGN KEY `blog_post_tags_post_id_fk`",
                            "ALTER TABLE `blog_post_tags` RENAME TO `blog_article_tags`",
                            "ALTER TABLE `blog_article_tags` RENAME COLUMN `post_id` TO `article_id`",
                            "ALTER TABLE `blog_article_tags` ADD CONSTRAINT `blog_article_tags_article_id_fk` "
                                + "FOREIGN KEY (`article_id`) REFERENCES `blog_article` (`id`)",
                        ],
                        renames: [
                            "table blog_post -> blog_article", "table blog_post_tags -> blog_article_tags",
                            "column blog_article_tags.post_id -> article_id",
                        ])
                ]),
            History(
                name: "django cms: RenameField + AlterField to JSONField, RenameModel + AddField",
                setup: [
                    "CREATE TABLE cms_block (id bigint AUTO_INCREMENT PRIMARY KEY, kind varchar(20) NOT NULL, "
                        + "content_json longtext NOT NULL)"
                ],
                steps: [
                    Step(
                        name: "0002 content_json -> content (JSONField)",
                        statements: [
                            "ALTER TABLE `cms_block` RENAME COLUMN `content_json` TO `content`",
                            "ALTER TABLE `cms_block` MODIFY `content` json NOT NULL",
                        ], renames: ["column cms_block.content_json -> content"]),
                    Step(
                        name: "0003 RenameModel Block -> Section, AddField position",
                        statements: [
                            "ALTER TABLE `cms_block` RENAME TO `cms_section`",
                            "ALTER TABLE `cms_section` ADD COLUMN `position` integer DEFAULT 0 NOT NULL",
                            "ALTER TABLE `cms_section` ALTER COLUMN `position` DROP DEFAULT",
                        ], renames: ["table cms_block -> cms_section"]),
                ]),
        ]

        /// A history whose rename only the binary log can tell: the table renamed, a column added
        /// and a foreign key on it (a rebuild: a new InnoDB id) in one migration.
        static let hardHistories: [History] = [
            History(
                name: "django shop: RenameModel Item -> Product with AddField(ForeignKey) in one migration",
                setup: [
                    "CREATE TABLE shop_category (id bigint AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL)",
                    "CREATE TABLE shop_item (id bigint AUTO_INCREMENT PRIMARY KEY, title varchar(100) NOT NULL, "
                        + "price decimal(10,2) NOT NULL)",
                ],
                steps: [
                    Step(
                        name: "0002 RenameModel Item -> Product, AddField category",
                        statements: [
                            "ALTER TABLE `shop_item` RENAME TO `shop_product`",
                            "ALTER TABLE `shop_product` ADD COLUMN `category_id` bigint NULL",
                            "ALTER TABLE `shop_product` ADD CONSTRAINT `shop_product_category_id_fk_shop_category_id` "
                                + "FOREIGN KEY (`category_id`) REFERENCES `shop_category` (`id`)",
                        ], renames: ["table shop_item -> shop_product"])
                ])
        ]

        /// The renames among changes, in the form of `Rename`.
        static func renames(_ changes: [SchemaChange]) -> [Rename] {
            changes.compactMap { change in
                switch change {
                case .relation(.alter(let old, let new)) where old.relation.name != new.relation.name:
                    return "table \(old.relation.name) -> \(new.relation.name)"
                case .column(let reference, .alter(let old, let new)) where old.name != new.name:
                    return "column \(reference.table).\(old.name) -> \(new.name)"
                default:
                    return nil
                }
            }
        }

        /// Runs every history with `reader`; returns (renames performed, found, false ones).
        static func run(reader: MySQLCatalogReader) throws -> (performed: Int, found: Int, falseRenames: [Rename]) {
            var performed = 0
            var found = 0
            var falseRenames: [Rename] = []
            for history in histories + hardHistories {
                let db = try ScratchDatabase(prefix: "corpus", statements: history.setup)
                var options = TestCapture.options(databases: [db.name])
                var previous = try reader.capture(options).0
                for step in history.steps {
                    try db.run(step.statements)
                    options.previous = previous
                    let next = try reader.capture(options).0
                    let (changes, _) = try checkedStep(from: previous, to: next, label: "\(history.name): \(step.name)")
                    let reported = Self.renames(changes)
                    performed += step.renames.count
                    found += step.renames.filter { reported.contains($0) }.count
                    falseRenames += reported.filter { !step.renames.contains($0) }
                    previous = next
                }
            }
            return (performed, found, falseRenames)
        }

        @Test func withTheBinaryLogEveryRenameIsFound() throws {
            let result = try Self.run(reader: try TestServer.reader())
            print("migration corpus, binary log readable: \(result.found) of \(result.performed) renames found")
            #expect(result.performed == 13)
            #expect(result.found * 100 >= result.performed * 95)
            #expect(result.found == result.performed)
            #expect(result.falseRenames == [])
        }

        @Test func withoutTheBinaryLogLikenessFindsSomeAndNothingFalse() throws {
            let user = "corpus_\(UInt32.random(in: 0...UInt32.max))"
            let password = "corpus-pw-\(UInt32.random(in: 0...UInt32.max))"
            let admin = try TestServer.adminConnection()
            try admin.execute("CREATE USER '\(user)'@'127.0.0.1' IDENTIFIED BY '\(password)'", context: "user")
            defer { try? admin.execute("DROP USER '\(user)'@'127.0.0.1'", context: "cleanup") }
            try admin.execute("GRANT SELECT, SHOW VIEW, PROCESS ON *.* TO '\(user)'@'127.0.0.1'", context: "grant")
            let server = try TestServer.url().replacingOccurrences(of: "schemasync@", with: "\(user)@")
            let result = try Self.run(reader: MySQLCatalogReader(connection: server, password: password))
            print("migration corpus, no binary log: \(result.found) of \(result.performed) renames found")
            #expect(result.falseRenames == [])
            #expect(result.found >= 10)
        }
    }
}
