/// What one tool did on one UTC day, summed from the ledger: for usage and revenue reports.
public struct DailyUsage: Sendable, Codable, Equatable {
    /// The UTC day, `YYYY-MM-DD`.
    public var day: String
    /// The tool's slug.
    public var tool: String
    /// Its calls and sats that day.
    public var totals: UsageTotals

    /// One tool's usage on one UTC day; `l402` and `payment` split the paid calls and sats by scheme.
    public init(
        day: String, tool: String, calls: Int, paidCalls: Int, freeCalls: Int, sats: UInt64,
        l402: SchemeUsage = SchemeUsage(), payment: SchemeUsage = SchemeUsage()
    ) {
        self.day = day
        self.tool = tool
        totals = UsageTotals(calls: calls, paidCalls: paidCalls, freeCalls: freeCalls, sats: sats, l402: l402, payment: payment)
    }
}

/// Calls and sats over any span of the ledger (a tool's day, a tool, everything). The one place
/// where the ledger's figures are added up: the admin usage report and the dashboard both sum with `add`.
public struct UsageTotals: Sendable, Codable, Equatable {
    /// Every recorded call, whatever its outcome.
    public var calls: Int
    /// Calls with outcome `paid`, whatever their scheme.
    public var paidCalls: Int
    /// Calls with outcome `free`.
    public var freeCalls: Int
    /// Sats earned, whatever the scheme.
    public var sats: UInt64
    /// Paid calls and sats of the L402 scheme (`Invocation.Scheme.l402`).
    public var l402: SchemeUsage
    /// Paid calls and sats of the `Payment` scheme (`Invocation.Scheme.payment`). Rows recorded before
    /// schemes were (`scheme` NULL) count in the totals only, so the two schemes may add up to less.
    public var payment: SchemeUsage

    /// These figures; zero unless given.
    public init(
        calls: Int = 0, paidCalls: Int = 0, freeCalls: Int = 0, sats: UInt64 = 0, l402: SchemeUsage = SchemeUsage(),
        payment: SchemeUsage = SchemeUsage()
    ) {
        self.calls = calls
        self.paidCalls = paidCalls
        self.freeCalls = freeCalls
        self.sats = sats
        self.l402 = l402
        self.payment = payment
    }

    /// Adds `other`'s figures to these.
    public mutating func add(_ other: UsageTotals) {
        calls += other.calls
        paidCalls += other.paidCalls
        freeCalls += other.freeCalls
        sats += other.sats
        l402.add(other.l402)
        payment.add(other.payment)
    }
}

/// The paid calls of one payment scheme and the sats they earned.
public struct SchemeUsage: Sendable, Codable, Equatable {
    /// Calls with outcome `paid` made with this scheme's credentials.
    public var paidCalls: Int
    /// Sats those calls earned.
    public var sats: UInt64

    /// These figures; zero unless given.
    public init(paidCalls: Int = 0, sats: UInt64 = 0) {
        self.paidCalls = paidCalls
        self.sats = sats
    }

    /// Adds `other`'s figures to these.
    public mutating func add(_ other: SchemeUsage) {
        paidCalls += other.paidCalls
        sats += other.sats
    }
}
