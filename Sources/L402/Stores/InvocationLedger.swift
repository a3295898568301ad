import Foundation

/// One metered call, as written to the ledger after the upstream answered (or failed).
public struct Invocation: Sendable, Codable, Equatable {
    /// Assigned by the ledger on insert; nil before.
    public var id: Int64?
    /// When the call was served.
    public var time: Date
    /// The slug of the tool called.
    public var tool: String
    /// Hex token id; nil for free calls.
    public var tokenID: String?
    /// Sats earned by this call (0 for free calls).
    public var sats: UInt64
    /// HTTP status of the upstream, nil when it could not be reached.
    public var upstreamStatus: Int?
    /// How long the call took, in milliseconds.
    public var latencyMs: Double
    /// What happened: one of the `Outcome` constants.
    public var outcome: String
    /// The MCP tool called (`tools/call` name; several comma-separated for a batch); nil for plain HTTP calls.
    public var mcpTool: String?
    /// The payment scheme whose credential paid for the call: `Scheme.l402` or `Scheme.payment`; nil for
    /// calls no credential paid for (free calls, and rows written before schemes were recorded).
    public var scheme: String?
    /// Names this call: recording the same invocation again (a retry whose first outcome was not
    /// known) leaves one row. Rows written before keys existed read back with a key derived from `id`.
    public var key: UUID

    /// The payment schemes a paid call is recorded under.
    public enum Scheme {
        /// An L402 (or LSAT) token paid for the call.
        public static let l402 = "l402"
        /// A credential of the IETF `Payment` scheme (Lightning `charge`) paid for the call.
        public static let payment = "payment"
        /// Every scheme, in the order reports list them.
        public static let all = [l402, payment]
    }

    /// The outcomes the gateway records.
    public enum Outcome {
        /// A paid call the upstream answered: it spent one of the token's calls.
        public static let paid = "paid"
        /// A free call (the tool's daily allowance per client); 0 sats.
        public static let free = "free"
        /// The upstream failed or could not be reached; nothing was spent, 0 sats.
        public static let upstreamError = "upstream_error"
    }

    /// A ledger row with these fields; `id` is nil until the ledger assigns one.
    public init(
        id: Int64? = nil, time: Date, tool: String, tokenID: String?, sats: UInt64, upstreamStatus: Int?, latencyMs: Double,
        outcome: String, key: UUID = UUID(), mcpTool: String? = nil, scheme: String? = nil
    ) {
        self.mcpTool = mcpTool
        self.scheme = scheme
        self.id = id
        self.time = time
        self.tool = tool
        self.tokenID = tokenID
        self.sats = sats
        self.upstreamStatus = upstreamStatus
        self.latencyMs = latencyMs
        self.outcome = outcome
        self.key = key
    }
}

/// The append-only record of metered calls.
public protocol InvocationLedger: Sendable {
    /// Appends `invocation` (its `id` is ignored and assigned by the ledger).
    func record(_ invocation: Invocation) async throws
    /// Newest first, optionally only for `tool`, at or after `since` and before `until`;
    /// `limit` rows after skipping `offset`.
    func invocations(tool: String?, since: Date?, until: Date?, limit: Int, offset: Int) async throws -> [Invocation]
    /// Calls and sats per tool and UTC day (paid calls and sats also per scheme), optionally only for
    /// `tool`, at or after `since` and before `until`; ordered by day, then tool.
    func dailyUsage(tool: String?, since: Date?, until: Date?) async throws -> [DailyUsage]
    /// Calls and sats per gateway tool and MCP tool (rows with an MCP tool only), at or after
    /// `since` and before `until`; ordered by tool, then MCP tool.
    func mcpToolUsage(since: Date?, until: Date?) async throws -> [MCPToolUsage]
}
