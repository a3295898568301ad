import Foundation

/// A first-party caveat this server understands, parsed from its `key=value` predicate.
///
/// Aperture's keys come first (`services`, `<service>_capabilities`, `<service>_valid_until`), then
/// ours. Any other key is refused (fail closed): a holder who adds a restriction for a sub-agent
/// must be able to rely on it being enforced, so a restriction we cannot read is never skipped.
public enum L402Caveat: Sendable, Equatable {
    /// Aperture `services=name:tier,…`: the request's tool must be one of the names.
    /// Tiers must be non-negative integers; this server has no tiers and ignores their value.
    case services([Service])
    /// Aperture `<service>_capabilities=a,b`: for requests to `service`, the capability must be listed.
    case capabilities(service: String, [String])
    /// Aperture `<service>_valid_until=<unix seconds>`: requests to `service` only before that time.
    case validUntil(service: String, unixSeconds: UInt64)
    /// `tool=<slug>`: only requests to this tool.
    case tool(String)
    /// `amount_sats=<n>`: what was paid; informational, never restricts.
    case amountSats(UInt64)
    /// `expires_at=<unix seconds>`: only requests before that time.
    case expiresAt(unixSeconds: UInt64)
    /// `calls=<n>`: at most n calls in total; with several, the smallest wins.
    case calls(Int)
    /// `method=GET,POST`: only these HTTP methods (case-insensitive).
    case methods([String])
    /// `path_prefix=/v1`: only paths equal to it or below it (segment-wise; dot-segments refused).
    case pathPrefix(String)
    /// `mcp_tool=search[,summarize]`: only MCP `tools/call` requests, each naming one of these MCP tools.
    case mcpTools([String])

    /// One entry of a `services` caveat.
    public struct Service: Sendable, Equatable {
        /// The service's name.
        public var name: String
        /// The service tier (Aperture's `name:tier`; 0 when absent).
        public var tier: UInt64
        /// A service entry of this name and tier.
        public init(name: String, tier: UInt64) { self.name = name; self.tier = tier }
    }

    /// Parses `key=value`; an unknown key is `.unknownCaveat`, a bad value `.invalidCaveat`.
    public init(predicate: String) throws(AuthenticationFailure) {
        guard let equals = predicate.firstIndex(of: "=") else {
            throw .invalidCaveat("caveat has no '=' (expected key=value)")
        }
        let key = String(predicate[..<equals])
        let value = String(predicate[predicate.index(after: equals)...])
        guard !key.isEmpty else { throw .invalidCaveat("caveat has an empty key") }
        switch key {
        case "services": self = .services(try Self.services(value))
        case "tool": self = .tool(try Self.name(value, key: key))
        case "amount_sats": self = .amountSats(try Self.number(value, key: key))
        case "expires_at": self = .expiresAt(unixSeconds: try Self.number(value, key: key))
        case "calls":
            let n = try Self.number(value, key: key)
            guard n <= UInt64(Int.max) else { throw .invalidCaveat("calls=\(value) is out of range") }
            self = .calls(Int(n))
        case "method": self = .methods(try Self.list(value, key: key).map { $0.uppercased() })
        case "path_prefix":
            guard value.hasPrefix("/"), !Self.hasDotSegment(value) else {
                throw .invalidCaveat("path_prefix must be an absolute path without dot-segments")
            }
            self = .pathPrefix(value)
        case "mcp_tool": self = .mcpTools(try Self.list(value, key: key))
        default:
            if let service = Self.service(of: key, suffix: "_capabilities") {
                self = .capabilities(service: service, try Self.list(value, key: key))
            } else if let service = Self.service(of: key, suffix: "_valid_until") {
                self = .validUntil(service: service, unixSeconds: try Self.number(value, key: key))
            } else {
                throw .unknownCaveat(key)
            }
        }
    }

    /// The `key=value` text, as minted into a macaroon.
    public var predicate: String {
        switch self {
        case .services(let services): "services=" + services.map { "\($0.name):\($0.tier)" }.joined(separator: ",")
        case .capabilities(let service, let names): "\(service)_capabilities=" + names.joined(separator: ",")
        case .validUntil(let service, let seconds): "\(service)_valid_until=\(seconds)"
        case .tool(let slug): "tool=\(slug)"
        case .amountSats(let sats): "amount_sats=\(sats)"
        case .expiresAt(let seconds): "expires_at=\(seconds)"
        case .calls(let n): "calls=\(n)"
        case .methods(let methods): "method=" + methods.joined(separator: ",")
        case .pathPrefix(let prefix): "path_prefix=\(prefix)"
        case .mcpTools(let names): "mcp_tool=" + names.joined(separator: ",")
        }
    }

    /// Throws the reason this caveat does not admit `request`.
    public func check(_ request: ProtectedRequest) throws(AuthenticationFailure) {
        switch self {
        case .services(let services):
            guard services.contains(where: { $0.name == request.tool }) else { throw .wrongTool }
        case .capabilities(let service, let names):
            guard service == request.tool else { return }  // restricts another service only
            guard let capability = request.capability, names.contains(capability) else {
                throw .notAllowed("capability \(request.capability ?? "(none)") is not among \(names.joined(separator: ","))")
            }
        case .validUntil(let service, let seconds):
            guard service == request.tool else { return }
            guard Self.isBefore(request.now, seconds) else { throw .expired }
        case .tool(let slug):
            guard slug == request.tool else { throw .wrongTool }
        case .amountSats:
            return
        case .expiresAt(let seconds):
            guard Self.isBefore(request.now, seconds) else { throw .expired }
        case .calls:
            return  // enforced by the usage store with the smallest limit
        case .methods(let methods):
            guard methods.contains(request.method.uppercased()) else {
                throw .notAllowed("method \(request.method) is not among \(methods.joined(separator: ","))")
            }
        case .pathPrefix(let prefix):
            guard Self.path(request.path, isUnder: prefix) else {
                throw .notAllowed("path is not under \(prefix)")
            }
        case .mcpTools(let names):
            // A request that calls no MCP tool (plain HTTP, or a batch of free methods) is not admitted either.
            guard !request.mcpTools.isEmpty, request.mcpTools.allSatisfy(names.contains) else {
                let asked = request.mcpTools.isEmpty ? "(no MCP tool)" : request.mcpTools.joined(separator: ",")
                throw .notAllowed("MCP tool \(asked) is not among \(names.joined(separator: ","))")
            }
        }
    }

    // MARK: - Value parsing

    private static func isBefore(_ now: Date, _ unixSeconds: UInt64) -> Bool {
        now.timeIntervalSince1970 < Double(unixSeconds)
    }

    /// Decimal digits only (no sign, no spaces), at most 19 of them so the value fits in Int64.
    private static func number(_ value: String, key: String) throws(AuthenticationFailure) -> UInt64 {
        let utf8 = value.utf8
        guard !utf8.isEmpty, utf8.count <= 19, utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let n = UInt64(value), n <= UInt64(Int64.max)
        else { throw .invalidCaveat("\(key) must be a non-negative decimal integer") }
        return n
    }

    /// A name: printable ASCII without spaces and without the list separators `,` `:` `=`.
    private static func name(_ value: String, key: String) throws(AuthenticationFailure) -> String {
        guard !value.isEmpty, value.utf8.count <= 256,
              value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: ":") && $0 != UInt8(ascii: "=") })
        else { throw .invalidCaveat("\(key) must be a non-empty name without spaces, ',' ':' or '='") }
        return value
    }

    private static func list(_ value: String, key: String) throws(AuthenticationFailure) -> [String] {
        try value.split(separator: ",", omittingEmptySubsequences: false).map { item throws(AuthenticationFailure) in
            try name(String(item), key: key)
        }
    }

    private static func services(_ value: String) throws(AuthenticationFailure) -> [Service] {
        try value.split(separator: ",", omittingEmptySubsequences: false).map { item throws(AuthenticationFailure) in
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw .invalidCaveat("services entries must be name:tier") }
            return Service(name: try name(String(parts[0]), key: "services"), tier: try number(String(parts[1]), key: "services tier"))
        }
    }

    private static func service(of key: String, suffix: String) -> String? {
        guard key.hasSuffix(suffix), key.count > suffix.count else { return nil }
        return String(key.dropLast(suffix.count))
    }

    /// True for `.` or `..` segments, also percent-encoded, and for encoded separators that an
    /// upstream might decode into a path the prefix check never saw.
    private static func hasDotSegment(_ path: String) -> Bool {
        let lower = path.lowercased()
        if lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\") { return true }
        return path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == "." || $0 == ".." }
    }

    /// Whole segments (`PathPrefix`, shared with price rules); a path that hides segments never matches.
    private static func path(_ path: String, isUnder prefix: String) -> Bool {
        !hasDotSegment(path) && PathPrefix.covers(prefix, path: path)
    }
}
