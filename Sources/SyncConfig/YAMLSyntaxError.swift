import Yams

/// A YAML syntax error, said without the file's text.
///
/// Yams' own descriptions quote the offending line (a `sk: Sup3r:S3cret: x` line holds the
/// secret the error is about) and, for a duplicated key, the whole file. This keeps only what
/// libyaml says (its problems and contexts are fixed phrases, never the input), the line, and
/// the key of that line, found by indentation.
extension ConfigError {
    init(yaml error: any Error, path: String, text: String) {
        var problem: String
        var line: Int?
        var context: (text: String, line: Int)?
        var preferContext = false
        switch error as? YamlError {
        case .scanner(let found, let what, let mark, _)?:
            // A token that never ended (a quoted value): its start is where the mistake is.
            (problem, line, preferContext) = (what, mark.line, true)
            context = found.map { ($0.text, $0.mark.line) }
        case .parser(let found, let what, let mark, _)?, .composer(let found, let what, let mark, _)?:
            // An unclosed `[` or `{`: where it opened. Else where the parser stopped.
            (problem, line) = (what, mark.line)
            context = found.map { ($0.text, $0.mark.line) }
            preferContext = found?.text.contains("flow") ?? false
        case .reader(let what, let offset, _, let yaml)?:
            problem = what
            line = offset.map { offset in yaml.prefix(offset).unicodeScalars.reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
        case .duplicatedKeysInMapping(_, let found)?:
            (problem, line) = ("a key is given twice in the same mapping", found.mark.line)
        default:
            problem = "cannot be read"
        }
        // The line said first, the other in the message; each with the key written on it.
        var lines = [line, context?.line].compactMap { $0 }
        if preferContext { lines.reverse() }
        if let keyed = lines.firstIndex(where: { Self.keyPath(atLine: $0, in: text) != nil }), keyed > 0 {
            lines.swapAt(0, keyed)
        }
        var message = "not valid YAML: " + problem
        if let context { message += ", " + context.text }
        if lines.count == 2 && lines[0] != lines[1] {
            message += lines[1] == line ? " (found on line \(lines[1]))" : " (which began on line \(lines[1]))"
        }
        if problem.hasPrefix("mapping values are not allowed") || problem.hasPrefix("found character that cannot") {
            message += "; quote a value that holds \": \" or \" #\", or starts with one of {}[]&*!|>'\"%@` "
            message += "('…', with a ' inside written '')"
        }
        self.init(
            path: path, key: lines.first.flatMap { Self.keyPath(atLine: $0, in: text) } ?? "", line: lines.first,
            message: message)
    }

    /// The key path (`sources[1].url`) of the key written on `line`, from the keys above it
    /// with less indentation and the `- ` items before it; nil when the line has no plain key
    /// (ASCII letters, digits, `_`, `-`: never a value's text).
    static func keyPath(atLine line: Int, in text: String) -> String? {
        // On bytes: a CRLF is one `Character`, and would not split on "\n".
        let lines = Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).map(LineShape.init)
        guard line >= 1, line <= lines.count, let key = lines[line - 1].key else { return nil }
        var path: [String] = [key.name]
        var column = key.column
        /// The index of the item whose `- ` is at `dash` on line `number` (0-based): the
        /// marks at that column since the line that holds the list.
        func itemIndex(_ dash: Int, onLine number: Int) -> String {
            var count = 0
            for above in lines[..<number].reversed() where !above.isBlank {
                if above.indent < dash { break }
                if above.dashes.contains(dash) { count += 1 }
            }
            return "[\(count)]"
        }
        var number = line - 1
        while number >= 0 && column > 0 {
            let shape = lines[number]
            if number < line - 1, !shape.isBlank, shape.indent < column, shape.opensBlock, let key = shape.key,
                key.column < column
            {
                path.insert(key.name, at: 0)
                column = key.column
            }
            if number == line - 1 || (!shape.isBlank && shape.indent < column) {
                for dash in shape.dashes.reversed() where dash < column {
                    path.insert(itemIndex(dash, onLine: number), at: 0)
                    column = dash
                }
            }
            number -= 1
        }
        return path.reduce("") { joined, part in
            part.hasPrefix("[") || joined.isEmpty ? joined + part : joined + "." + part
        }
    }
}

/// The shape of one line of block YAML: its indentation, the columns of its `- ` item marks,
/// and the plain key it starts with.
private struct LineShape {
    var indent = 0
    var dashes: [Int] = []
    var key: (name: String, column: Int)?
    /// Nothing but a comment after the key's `:`: the key holds the lines below.
    var opensBlock = false
    var isBlank = true

    init(_ line: ArraySlice<UInt8>) {
        let bytes = Array(line)
        var index = 0
        while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        guard index < bytes.count, bytes[index] != UInt8(ascii: "#"), bytes[index] != 0x0D else { return }
        isBlank = false
        indent = index
        // `- ` item marks, possibly several (`- - x`).
        while index < bytes.count, bytes[index] == UInt8(ascii: "-"),
            index + 1 == bytes.count || bytes[index + 1] == 0x20
        {
            dashes.append(index)
            index += 1
            while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        }
        let start = index
        while index < bytes.count, Self.isKeyByte(bytes[index]) { index += 1 }
        let end = index
        while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        guard end > start, index < bytes.count, bytes[index] == UInt8(ascii: ":"),
            index + 1 == bytes.count || bytes[index + 1] == 0x20 || bytes[index + 1] == 0x0D
        else { return }
        key = (String(decoding: bytes[start..<end], as: UTF8.self), start)
        index += 1
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0D { index += 1 }
        opensBlock = index == bytes.count || bytes[index] == UInt8(ascii: "#")
    }

    static func isKeyByte(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
}
