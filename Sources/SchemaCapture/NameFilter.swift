/// Include and exclude glob patterns on qualified names (`schema.table`).
///
/// A name is kept when it matches at least one include pattern (or there are none) and no
/// exclude pattern. `*` matches any run of characters, `?` one character; matching is
/// case-sensitive, as the names are. A pattern without a dot applies to the object name in
/// every schema (`tmp_*` is `*.tmp_*`).
public struct NameFilter: Sendable, Hashable {
    /// Patterns of the names to keep; empty keeps every name.
    public var include: [String]
    /// Patterns of the names to leave out, even when an include pattern matches them.
    public var exclude: [String]

    /// Creates a filter from include and exclude patterns; with none, it keeps everything.
    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include
        self.exclude = exclude
    }

    /// Whether the filter keeps everything.
    public var isEmpty: Bool { include.isEmpty && exclude.isEmpty }

    /// Whether `schema.name` is kept.
    public func keeps(schema: String, name: String) -> Bool {
        if !include.isEmpty && !include.contains(where: { Self.matches($0, schema: schema, name: name) }) {
            return false
        }
        return !exclude.contains { Self.matches($0, schema: schema, name: name) }
    }

    /// Whether anything in `schema` can be kept: some include pattern's schema part matches it,
    /// and no exclude pattern drops the whole schema (`schema.*`).
    public func mayKeep(schema: String) -> Bool {
        if !include.isEmpty
            && !include.contains(where: { Self.globMatches(Self.split($0).schema, Array(schema.unicodeScalars)) })
        {
            return false
        }
        return !exclude.contains { pattern in
            let parts = Self.split(pattern)
            return parts.name == "*" && Self.globMatches(parts.schema, Array(schema.unicodeScalars))
        }
    }

    static func split(_ pattern: String) -> (schema: String, name: String) {
        guard let dot = pattern.firstIndex(of: ".") else { return ("*", pattern) }
        return (String(pattern[..<dot]), String(pattern[pattern.index(after: dot)...]))
    }

    static func matches(_ pattern: String, schema: String, name: String) -> Bool {
        let parts = split(pattern)
        return globMatches(parts.schema, Array(schema.unicodeScalars))
            && globMatches(parts.name, Array(name.unicodeScalars))
    }

    /// Glob matching with `*` and `?`, iterative with one backtrack point (linear in practice).
    static func globMatches(_ pattern: String, _ text: [Unicode.Scalar]) -> Bool {
        let p = Array(pattern.unicodeScalars)
        var pi = 0
        var ti = 0
        var star = -1
        var mark = 0
        while ti < text.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == text[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
