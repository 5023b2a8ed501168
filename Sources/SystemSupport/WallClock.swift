import Foundation

/// The time of day as the event contract and snapshots count it.
package enum WallClock {
    /// Milliseconds since 1970-01-01T00:00:00Z, rounded down.
    package static func nowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
