import CLibPQ

/// A query result copied out of libpq: every value's bytes in one buffer, so the `PGresult`
/// can be freed at once and reading a value costs no C call.
package final class PGResultTable {
    package let rowCount: Int
    package let columnCount: Int
    private var bytes: [UInt8]
    /// Per value: start offset in `bytes`, and length (-1 for NULL).
    private var starts: [Int32]
    private var lengths: [Int32]

    init(copying result: OpaquePointer) {
        rowCount = Int(PQntuples(result))
        columnCount = Int(PQnfields(result))
        var bytes: [UInt8] = []
        var starts: [Int32] = []
        var lengths: [Int32] = []
        starts.reserveCapacity(rowCount * columnCount)
        lengths.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) != 0 {
                    starts.append(0)
                    lengths.append(-1)
                    continue
                }
                let length = PQgetlength(result, row, column)
                starts.append(Int32(bytes.count))
                lengths.append(length)
                if length > 0, let value = PQgetvalue(result, row, column) {
                    value.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                        bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(length)))
                    }
                }
            }
        }
        self.bytes = bytes
        self.starts = starts
        self.lengths = lengths
    }

    /// The rows, each read through a `PGRow`.
    var rows: some Sequence<PGRow> {
        (0..<rowCount).lazy.map { PGRow(table: self, row: $0) }
    }

    package func isNull(_ row: Int, _ column: Int) -> Bool { lengths[row * columnCount + column] < 0 }

    package func string(_ row: Int, _ column: Int) -> String? {
        let index = row * columnCount + column
        let length = Int(lengths[index])
        guard length >= 0 else { return nil }
        let start = Int(starts[index])
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[start..<start + length]), as: UTF8.self)
        }
    }

    /// Parses an integer value without making a String.
    package func int(_ row: Int, _ column: Int) -> Int64? {
        let index = row * columnCount + column
        let length = Int(lengths[index])
        guard length > 0 else { return nil }
        let start = Int(starts[index])
        var value: Int64 = 0
        var negative = false
        for offset in start..<start + length {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "-") && offset == start {
                negative = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                value = value &* 10 &+ Int64(byte - UInt8(ascii: "0"))
            } else {
                return nil
            }
        }
        return negative ? -value : value
    }

    /// Integers of an `int2vector`/`oidvector` (`1 2 3`) or an integer array (`{1,2,3}`),
    /// parsed from the bytes without making Strings.
    func integers(_ row: Int, _ column: Int) -> [Int64] {
        let index = row * columnCount + column
        let length = Int(lengths[index])
        guard length > 0 else { return [] }
        let start = Int(starts[index])
        var values: [Int64] = []
        var current: Int64 = 0
        var negative = false
        var inNumber = false
        for offset in start..<start + length {
            let byte = bytes[offset]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                current = current &* 10 &+ Int64(byte - UInt8(ascii: "0"))
                inNumber = true
            } else if byte == UInt8(ascii: "-") {
                negative = true
            } else {
                if inNumber { values.append(negative ? -current : current) }
                current = 0
                negative = false
                inNumber = false
            }
        }
        if inNumber { values.append(negative ? -current : current) }
        return values
    }

    package func bool(_ row: Int, _ column: Int) -> Bool {
        let index = row * columnCount + column
        return lengths[index] > 0 && bytes[Int(starts[index])] == UInt8(ascii: "t")
    }
}

/// One row of a `PGResultTable`.
struct PGRow {
    let table: PGResultTable
    let row: Int

    func string(_ column: Int) -> String? { table.string(row, column) }
    func int(_ column: Int) -> Int64? { table.int(row, column) }
    func bool(_ column: Int) -> Bool { table.bool(row, column) }
    func isNull(_ column: Int) -> Bool { table.isNull(row, column) }

    /// A value the query guarantees to be present.
    func required(_ column: Int) -> String { string(column) ?? "" }
    func requiredInt(_ column: Int) -> Int64 { int(column) ?? 0 }

    /// An `int2vector` / `oidvector` (`1 2 3`) or an integer array (`{1,2}`); NULL gives [].
    func integers(_ column: Int) -> [Int64] { table.integers(row, column) }

    /// A one-dimensional array literal (`{1,2}`, `{a,"b c"}`); NULL gives an empty array.
    func array(_ column: Int) -> [String] {
        guard let text = string(column) else { return [] }
        return PGArrayLiteral.parse(text).map { $0 ?? "" }
    }

    /// A one-dimensional array literal whose elements may be NULL.
    func nullableArray(_ column: Int) -> [String?] {
        guard let text = string(column) else { return [] }
        return PGArrayLiteral.parse(text)
    }
}

/// Parsing of PostgreSQL's text form of one-dimensional arrays.
enum PGArrayLiteral {
    /// The elements; an unquoted `NULL` is nil.
    static func parse(_ text: String) -> [String?] {
        var scalars = Substring(text).unicodeScalars[...]
        guard scalars.first == "{", scalars.last == "}" else { return [] }
        scalars = scalars.dropFirst().dropLast()
        var elements: [String?] = []
        var current = String.UnicodeScalarView()
        var quoted = false
        var inQuotes = false
        var escaped = false
        for scalar in scalars {
            if escaped {
                current.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "\"" {
                inQuotes.toggle()
                quoted = true
            } else if scalar == "," && !inQuotes {
                elements.append(finish(current, quoted: quoted))
                current = String.UnicodeScalarView()
                quoted = false
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty || quoted || !elements.isEmpty { elements.append(finish(current, quoted: quoted)) }
        return elements
    }

    private static func finish(_ scalars: String.UnicodeScalarView, quoted: Bool) -> String? {
        let text = String(scalars)
        return !quoted && text == "NULL" ? nil : text
    }
}
