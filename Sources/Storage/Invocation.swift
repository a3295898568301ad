import Foundation

/// One metered call, as written to the ledger after the upstream answered (or failed).
public struct Invocation: Sendable, Codable, Equatable {
    /// Assigned by the ledger on insert; nil before.
    public var id: Int64?
    public var time: Date
    public var tool: String
    /// Hex token id; nil for free calls.
    public var tokenID: String?
    /// Sats earned by this call (0 for free calls).
    public var sats: UInt64
    /// HTTP status of the upstream, nil when it could not be reached.
    public var upstreamStatus: Int?
    public var latencyMs: Double
    /// What happened, e.g. `paid`, `free`, `upstream_error`.
    public var outcome: String

    public init(
        id: Int64? = nil, time: Date, tool: String, tokenID: String?, sats: UInt64, upstreamStatus: Int?, latencyMs: Double,
        outcome: String
    ) {
        self.id = id
        self.time = time
        self.tool = tool
        self.tokenID = tokenID
        self.sats = sats
        self.upstreamStatus = upstreamStatus
        self.latencyMs = latencyMs
        self.outcome = outcome
    }
}

/// The append-only record of metered calls.
public protocol InvocationLedger: Sendable {
    /// Appends `invocation` (its `id` is ignored and assigned by the ledger).
    func record(_ invocation: Invocation) async throws
    /// Newest first, optionally only for `tool` and at or after `since`; `limit` rows after skipping `offset`.
    func invocations(tool: String?, since: Date?, limit: Int, offset: Int) async throws -> [Invocation]
}
