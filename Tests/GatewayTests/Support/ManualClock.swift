import Foundation
import Synchronization

/// A clock a test moves by hand, injected as the gateway's `now`: no sleeping to cross a day or refill a bucket.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    /// `"2026-11-25T23:59:00Z"`-style start.
    convenience init(iso8601 text: String) {
        self.init(ISO8601DateFormatter().date(from: text)!)
    }

    var now: @Sendable () -> Date { { self.current.withLock { $0 } } }

    func advance(seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
