import EventContract
import Foundation
import Testing

/// `JSONParser`: what the receiver reads every body with. RFC 8259, nothing more.
@Suite struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Data(text.utf8)) }

    @Test func readsEveryKindOfValue() throws {
        let value = try parse(
            #" { "a" : [1, -2, 0, -0, 9223372036854775807, -9223372036854775808, 1.5, 2e3, -1E-2, 9223372036854775808],"#
                + #" "b": {"t": true, "f": false, "n": null, "e": {}, "l": []}, "s": "x\"\\\/\b\f\n\r\tй😀" } "#)
        #expect(
            value["a"]
                == .array([
                    .int(1), .int(-2), .int(0), .int(0), .int(Int64.max), .int(Int64.min), .double(1.5), .double(2000),
                    .double(-0.01), .double(9_223_372_036_854_775_808),
                ]))
        #expect(
            value["b"]
                == .object(["t": .bool(true), "f": .bool(false), "n": .null, "e": .object([:]), "l": .array([])]))
        #expect(value["s"] == .string("x\"\\/\u{8}\u{C}\n\r\tй😀"))
    }

    @Test func unicodeEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""\u0041\u00e9\u4e2d\ud83d\ude00""#) == .string("Aé中😀"))
        #expect(try parse("\u{FEFF}[1]") == .array([.int(1)]))
    }

    @Test func whatItWritesItReadsBack() throws {
        let value: JSONValue = [
            "events": [["event_type": "CreateTableEvent", "event_message": ["name": "t\u{1}\"x", "n": -7]]],
            "engine": "DWS", "d": .double(0.25), "none": .null,
        ]
        #expect(try JSONParser.parse(Data(value.bytes)) == value)
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.", "1e", "-", "+1", ".5", "tru",
        "nul", "\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\u{01}b\"", "[1] x", "NaN",
        "Infinity", "'a'", "1e400", "-1e400", "[1e309]",
    ])
    func refusesWhatIsNotJSON(text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }

    @Test func refusesBadUTF8AndDeepNesting() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Data([0x22, 0xC3, 0x28, 0x22])) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Data([0x22, 0x5C, 0x6E, 0xFF, 0x22])) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: JSONParseError.self) { try parse(deep) }
        #expect(error?.reason.contains("nested deeper than 512") == true)
        let fine = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try parse(fine) }
    }

    @Test func aRepeatedKeyKeepsItsLastValueAndErrorsSayWhere() throws {
        #expect(try parse(#"{"a":1,"a":2}"#) == .object(["a": .int(2)]))
        let error = #expect(throws: JSONParseError.self) { try parse(#"{"a": [1, 2,, 3]}"#) }
        #expect(error?.offset == 12)
        #expect(error?.description == "not valid JSON at byte 12: a value cannot start here")
    }
}
