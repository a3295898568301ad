/// What one MCP tool of one gateway tool did, summed from the ledger: the dashboard's revenue per MCP tool.
public struct MCPToolUsage: Sendable, Codable, Equatable {
    /// The gateway tool (slug).
    public var tool: String
    /// The MCP tool name (comma-separated names for batches).
    public var mcpTool: String
    /// Every recorded call, whatever its outcome.
    public var calls: Int
    /// Calls with outcome `paid`.
    public var paidCalls: Int
    /// Sats earned.
    public var sats: UInt64

    /// One MCP tool's usage behind one gateway tool.
    public init(tool: String, mcpTool: String, calls: Int, paidCalls: Int, sats: UInt64) {
        self.tool = tool
        self.mcpTool = mcpTool
        self.calls = calls
        self.paidCalls = paidCalls
        self.sats = sats
    }
}
