import SchemaCapture
import Testing

@Suite struct NameFilterTests {
    @Test func emptyKeepsEverything() {
        let filter = NameFilter()
        #expect(filter.keeps(schema: "public", name: "t"))
        #expect(filter.mayKeep(schema: "anything"))
    }

    @Test func includeAndExclude() {
        let filter = NameFilter(include: ["public.*", "app.order?"], exclude: ["*.tmp_*"])
        #expect(filter.keeps(schema: "public", name: "users"))
        #expect(!filter.keeps(schema: "public", name: "tmp_users"))
        #expect(filter.keeps(schema: "app", name: "orders"))
        #expect(!filter.keeps(schema: "app", name: "order"))
        #expect(!filter.keeps(schema: "audit", name: "events"))
        #expect(filter.mayKeep(schema: "app"))
        #expect(!filter.mayKeep(schema: "audit"))
    }

    @Test func patternWithoutDotAppliesInEverySchema() {
        let filter = NameFilter(exclude: ["tmp_*"])
        #expect(!filter.keeps(schema: "a", name: "tmp_1"))
        #expect(filter.keeps(schema: "a", name: "t"))
        #expect(filter.mayKeep(schema: "a"))
    }

    @Test func excludingAWholeSchema() {
        let filter = NameFilter(exclude: ["staging.*"])
        #expect(!filter.mayKeep(schema: "staging"))
        #expect(filter.mayKeep(schema: "public"))
    }

    @Test func caseSensitiveAndUnicode() {
        let filter = NameFilter(include: ["Weird Schema.Mixed*", "public.Café_*"])
        #expect(filter.keeps(schema: "Weird Schema", name: "MixedCase"))
        #expect(!filter.keeps(schema: "weird schema", name: "MixedCase"))
        #expect(filter.keeps(schema: "public", name: "Café_ünïcode"))
    }

    @Test func starsBacktrack() {
        let filter = NameFilter(include: ["*.a*b*c"])
        #expect(filter.keeps(schema: "s", name: "aXbYbZc"))
        #expect(!filter.keeps(schema: "s", name: "aXbYbZ"))
        #expect(NameFilter(include: ["*.*"]).keeps(schema: "", name: ""))
    }
}
