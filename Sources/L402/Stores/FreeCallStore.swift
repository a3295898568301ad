import Foundation

/// Per-client counters of free calls (Aperture's "freebies"), one per tool, client and UTC day.
/// They live in the database so that every gateway sharing it hands out the same allowance.
public protocol FreeCallStore: Sendable {
    /// Takes one of the `limit` free calls `client` has for `tool` on `day`, atomically;
    /// false when they are used up (or `limit` is not positive).
    func takeFreeCall(tool: String, client: String, day: String, limit: Int) async throws -> Bool
    /// Gives back a free call taken for a request that the upstream failed to answer.
    func returnFreeCall(tool: String, client: String, day: String) async throws
    /// Forgets the counters of the days before `day`; returns how many were removed.
    func deleteFreeCalls(before day: String) async throws -> Int
}

/// The UTC calendar day free calls are counted per, as `YYYY-MM-DD` (so days sort as strings).
public enum FreeCallDay {
    /// The UTC day `date` falls on.
    public static func string(for date: Date) -> String {
        let parts = utcCalendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
