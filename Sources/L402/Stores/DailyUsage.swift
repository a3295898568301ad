/// What one tool did on one UTC day, summed from the ledger: for usage and revenue reports.
public struct DailyUsage: Sendable, Codable, Equatable {
    /// The UTC day, `YYYY-MM-DD`.
    public var day: String
    /// The tool's slug.
    public var tool: String
    /// Every recorded call, whatever its outcome.
    public var calls: Int
    /// Calls with outcome `paid`.
    public var paidCalls: Int
    /// Calls with outcome `free`.
    public var freeCalls: Int
    /// Sats earned.
    public var sats: UInt64

    /// One tool's usage on one UTC day.
    public init(day: String, tool: String, calls: Int, paidCalls: Int, freeCalls: Int, sats: UInt64) {
        self.day = day
        self.tool = tool
        self.calls = calls
        self.paidCalls = paidCalls
        self.freeCalls = freeCalls
        self.sats = sats
    }
}
