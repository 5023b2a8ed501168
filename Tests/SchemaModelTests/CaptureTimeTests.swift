import SchemaModel
import Testing

@Suite struct CaptureTimeTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(1_764_037_800_123), "2025-11-25T02:30:00.123Z"),
        (Int64(951_782_400_000), "2000-02-29T00:00:00.000Z"),
        (Int64(4_102_444_799_999), "2099-12-31T23:59:59.999Z"),
        (Int64(-1), "1969-12-31T23:59:59.999Z"),
    ])
    func formatsAndParses(millis: Int64, text: String) {
        #expect(CaptureTime.iso8601(millis: millis) == text)
        #expect(CaptureTime.millis(iso8601: text) == millis)
    }

    @Test(arguments: ["", "2025-11-25", "2025-11-25T02:30:00Z", "2025-13-25T02:30:00.123Z", "2025-11-25T02:30:00.12xZ"])
    func rejectsOtherForms(text: String) {
        #expect(CaptureTime.millis(iso8601: text) == nil)
    }

    @Test func roundTripsEveryDayOfAFourYearCycle() {
        let day: Int64 = 86_400_000
        for offset in stride(from: Int64(0), to: 1461, by: 1) {
            let millis = 1_700_000_000_000 + offset * day + offset * 7
            #expect(CaptureTime.millis(iso8601: CaptureTime.iso8601(millis: millis)) == millis)
        }
    }
}
