import SchemaCapture

/// PostgreSQL's `quote_identifier`: an identifier is written bare when it is all lower-case
/// ASCII letters, digits and underscores, does not start with a digit, and is not a keyword
/// other than an unreserved one; otherwise it is double-quoted with `"` doubled.
///
/// The keyword list comes from the server (`pg_get_keywords()`), so it matches the version.
struct IdentifierQuoting: Sendable {
    /// Keywords that need quoting (every category but unreserved).
    let reservedKeywords: Set<String>

    /// The identifier as the server writes it. Quotes are doubled byte by byte, as the
    /// server does: a `"` followed by a combining mark is one `Character`, but still a quote.
    func quote(_ identifier: String) -> String {
        if isSafeBare(identifier) { return identifier }
        return ASCII.delimited(identifier, by: UInt8(ascii: "\""))
    }

    /// `schema.name`, each part quoted as needed.
    func qualified(_ schema: String, _ name: String) -> String {
        quote(schema) + "." + quote(name)
    }

    private func isSafeBare(_ identifier: String) -> Bool {
        guard let first = identifier.utf8.first, first == UInt8(ascii: "_") || (first >= 0x61 && first <= 0x7A) else {
            return false
        }
        for byte in identifier.utf8 {
            let ok = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_")
            if !ok { return false }
        }
        return !reservedKeywords.contains(identifier)
    }
}
