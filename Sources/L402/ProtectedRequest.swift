import Foundation

/// What a credential is checked against: the request the caller wants to make.
public struct ProtectedRequest: Sendable, Equatable {
    /// The tool (service) slug the request goes to, e.g. `weather`.
    public var tool: String
    /// The HTTP method, e.g. `GET`.
    public var method: String
    /// The path below the tool, as the upstream will see it, without the query: `/today` for
    /// `GET /weather/today?city=x`. `path_prefix` caveats are matched against it.
    public var path: String
    /// The capability an Aperture-style `<tool>_capabilities` caveat is matched against. Defaults to
    /// the first segment of `path` (`today` for `/today/x`), nil for `/`.
    public var capability: String?
    /// The time expiry caveats are checked against.
    public var now: Date
    /// The MCP tools the request calls (`tools/call` names of its JSON-RPC body, one per priced call);
    /// empty for a request that is not an MCP tool call. `mcp_tool` caveats are matched against it.
    public var mcpTools: [String]

    /// A request for `tool` with this method and canonical path, checked at `now`, needing `capability` when set
    /// and naming the MCP tools in `mcpTools` (empty for a plain HTTP call).
    public init(
        tool: String, method: String, path: String, now: Date = Date(), capability: String? = nil, mcpTools: [String] = []
    ) {
        self.tool = tool
        self.method = method
        self.path = path
        self.now = now
        self.mcpTools = mcpTools
        self.capability = capability ?? Self.firstSegment(of: path)
    }

    private static func firstSegment(of path: String) -> String? {
        let segment = path.split(separator: "/", omittingEmptySubsequences: true).first
        return segment.map(String.init)
    }
}
