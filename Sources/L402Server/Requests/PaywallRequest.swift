import HTTPTypes

/// One request as the paywall sees it, whatever web framework carried it.
public struct PaywallRequest: Sendable {
    /// The HTTP method, e.g. `GET`.
    public var method: String
    /// The request's path below the priced tool or route, in canonical form (`CanonicalPath`),
    /// starting with `/`, without the query. Price rules and `path_prefix` caveats match it.
    public var path: String
    /// The request's header fields (the credential is read from `Authorization`).
    public var headers: HTTPFields
    /// The client's IP address (see `ClientAddress`), which free calls and the challenge rate
    /// limit count under; nil when unknown (such a client gets no free calls).
    public var client: String?
    /// The MCP tools a JSON-RPC body calls (one name per priced `tools/call`); empty for plain HTTP.
    /// `mcp_tool` caveats are checked against it and the ledger row names them.
    public var mcpTools: [String]
    /// The request body, when the frontend holds it whole (nil when it streams or there is none): a
    /// `Payment` challenge then binds it (`digest`), and a credential for such a challenge is checked
    /// against it.
    public var body: [UInt8]?

    /// A request with this method, raw path and headers, from `client` (its address; nil when unknown), naming the
    /// MCP tools in `mcpTools` (empty for a plain HTTP call), with its `body` when the frontend has read it.
    public init(method: String, path: String, headers: HTTPFields, client: String?, mcpTools: [String] = [], body: [UInt8]? = nil) {
        self.body = body
        self.mcpTools = mcpTools
        self.method = method
        self.path = path.isEmpty ? "/" : path
        self.headers = headers
        self.client = client
    }

    /// What free calls and the rate limit count under (an IPv6 client's /64).
    var accountKey: String? { client.map(ClientAddress.accountKey) }
}
