import Foundation
import SchemaCapture
import SchemaModel
import Testing

@testable import MySQLCapture

@Suite struct ReferentialActionTests {
    @Test func noActionIsRestrict() {
        #expect(Assembler.referentialAction("NO ACTION") == .restrict)
        #expect(Assembler.referentialAction("no action") == .restrict)
        #expect(Assembler.referentialAction("RESTRICT") == .restrict)
        #expect(Assembler.referentialAction(nil) == .restrict)
        #expect(Assembler.referentialAction("CASCADE") == .cascade)
        #expect(Assembler.referentialAction("SET NULL") == .setNull)
    }
}
