public import SchemaCapture

/// What the capture tests of every server share.
public enum TestCapture {
    /// Capture options for tests: a fixed capture time, so snapshots compare byte for byte.
    public static func options(
        databases: [String] = [], include: [String] = [], exclude: [String] = []
    ) -> CaptureOptions {
        CaptureOptions(
            sourceName: "test", databases: databases, filter: NameFilter(include: include, exclude: exclude),
            connectTimeout: 5, statementTimeout: 60, capturedAtMillis: 1_764_037_800_123)
    }
}
