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

    /// Whether this is the keyword `keyword` (given in upper case).
    func isKeyword(_ keyword: String) -> Bool { kind == .word && text.uppercased() == keyword }

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

/// Splits SQL text into tokens, dropping comments (`-- `, `#`, `/* */`) but keeping the text of
/// version comments (`/*!50100 … */`, MariaDB's `/*M!100500 … */`), which the server runs.
/// Survives any input: an unterminated quote or comment ends at the end of the text.
enum SQLTokenizer {
    static func tokens(_ text: String) -> [SQLToken] {
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
                // `/*!NNNNN` and `/*M!NNNNNN`: the text is SQL the server runs; go on
                // tokenizing it (its closing `*/` is skipped below). Any other comment is skipped.
                var at = index + 2
                if at < count && scalars[at] == "M" && at + 1 < count && scalars[at + 1] == "!" { at += 1 }
                if at < count && scalars[at] == "!" {
                    at += 1
                    while at < count && scalars[at] >= "0" && scalars[at] <= "9" { at += 1 }
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
