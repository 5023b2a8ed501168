/// A token of MySQL/MariaDB SQL text, as far as reading names out of DDL needs.
struct SQLToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A bare word: a keyword or an unquoted identifier.
        case word
        /// A `` `quoted` `` identifier (doubled backticks undone).
        case quoted
        /// A `"double-quoted"` text: a string, or under ANSI_QUOTES an identifier.
        case doubleQuoted
        /// A `'single-quoted'` string.
        case string
        /// Any other character: `.`, `,`, `(`, `)`, `;`, `=`, …
        case symbol
    }

    var kind: Kind
    var text: String

    /// Whether this is the keyword `keyword` (given in upper case). Keywords are ASCII: the
    /// comparison folds only `a`–`z` (Unicode upper-casing makes `ındex` INDEX and `aſ` AS).
    func isKeyword(_ keyword: String) -> Bool { kind == .word && upperASCII == keyword }

    /// The text with only ASCII letters upper-cased.
    var upperASCII: String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0 >= "a" && $0 <= "z" ? Unicode.Scalar($0.value - 32) ?? $0 : $0 }))
    }

    /// Whether this is the symbol `symbol`.
    func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }

    /// The identifier this token can be, where a name is expected.
    var identifier: String? {
        switch kind {
        case .word, .quoted, .doubleQuoted: text
        case .string, .symbol: nil
        }
    }
}

/// Splits SQL text into tokens, dropping comments (`-- `, `#`, `/* */`). Version comments
/// (`/*!50100 … */`, MariaDB's `/*M!100500 … */`) hold SQL that a server runs or not by its
/// flavor and version: `versionComments` says which are read as SQL and which skipped.
/// Survives any input: an unterminated quote or comment ends at the end of the text.
enum SQLTokenizer {
    /// Which version comments are SQL.
    enum VersionComments: Sendable, Hashable {
        /// Those the server runs: `/*!NNNNN` on a server of version NNNNN or later (MySQL and
        /// MariaDB), `/*M!NNNNNN` on MariaDB of that version or later, without a number always.
        case server(ServerFlavor)
        /// All of them.
        case all
        /// Only those without a condition (`/*!` with no number); the others are skipped.
        case unconditional

        func runs(mariaDBOnly: Bool, version: Int?) -> Bool {
            switch self {
            case .server(let flavor):
                if mariaDBOnly && !flavor.isMariaDB { return false }
                guard let version else { return true }
                return flavor.major * 10_000 + flavor.minor * 100 + flavor.patch >= version
            case .all:
                return true
            case .unconditional:
                return !mariaDBOnly && version == nil
            }
        }
    }

    static func tokens(_ text: String, versionComments: VersionComments = .all) -> [SQLToken] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [SQLToken] = []
        var index = 0
        let count = scalars.count

        func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
            scalar.value >= 0x80 || scalar == "_" || scalar == "$"
                || (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                || (scalar >= "0" && scalar <= "9")
        }

        /// Reads a quoted run that starts at `index` (the opening quote); doubled quotes are
        /// one quote, and for strings a backslash escapes the next character.
        func quoted(_ quote: Unicode.Scalar, backslash: Bool) -> String {
            var value = String.UnicodeScalarView()
            index += 1
            while index < count {
                let scalar = scalars[index]
                if backslash && scalar == "\\" && index + 1 < count {
                    value.append(scalars[index + 1])
                    index += 2
                    continue
                }
                if scalar == quote {
                    if index + 1 < count && scalars[index + 1] == quote {
                        value.append(quote)
                        index += 2
                        continue
                    }
                    index += 1
                    return String(value)
                }
                value.append(scalar)
                index += 1
            }
            return String(value)
        }

        while index < count {
            let scalar = scalars[index]
            let next: Unicode.Scalar? = index + 1 < count ? scalars[index + 1] : nil
            switch scalar {
            case " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}":
                index += 1
            case "#":
                while index < count && scalars[index] != "\n" { index += 1 }
            case "-" where next == "-" && (index + 2 >= count || [" ", "\t", "\n", "\r"].contains(scalars[index + 2])):
                while index < count && scalars[index] != "\n" { index += 1 }
            case "/" where next == "*":
                // `/*!NNNNN` and `/*M!NNNNNN`: when the server runs the text, go on tokenizing
                // it (its closing `*/` is skipped below). Any other comment is skipped.
                var at = index + 2
                var mariaDBOnly = false
                if at < count && scalars[at] == "M" && at + 1 < count && scalars[at + 1] == "!" {
                    at += 1
                    mariaDBOnly = true
                }
                var runs = false
                if at < count && scalars[at] == "!" {
                    at += 1
                    var digits = ""
                    while at < count && scalars[at] >= "0" && scalars[at] <= "9" && digits.count < 9 {
                        digits.unicodeScalars.append(scalars[at])
                        at += 1
                    }
                    runs = versionComments.runs(mariaDBOnly: mariaDBOnly, version: Int(digits))
                }
                if runs {
                    index = at
                } else {
                    index += 2
                    while index < count && !(scalars[index] == "*" && index + 1 < count && scalars[index + 1] == "/") {
                        index += 1
                    }
                    index = min(count, index + 2)
                }
            case "*" where next == "/":
                // The end of a version comment whose text was tokenized.
                index += 2
            case "`":
                tokens.append(SQLToken(kind: .quoted, text: quoted("`", backslash: false)))
            case "\"":
                tokens.append(SQLToken(kind: .doubleQuoted, text: quoted("\"", backslash: true)))
            case "'":
                tokens.append(SQLToken(kind: .string, text: quoted("'", backslash: true)))
            default:
                if isWordScalar(scalar) {
                    var word = String.UnicodeScalarView()
                    while index < count && isWordScalar(scalars[index]) {
                        word.append(scalars[index])
                        index += 1
                    }
                    tokens.append(SQLToken(kind: .word, text: String(word)))
                } else {
                    tokens.append(SQLToken(kind: .symbol, text: String(scalar)))
                    index += 1
                }
            }
        }
        return tokens
    }
}
