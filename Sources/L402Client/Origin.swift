import Foundation

/// The origin of a URL, `scheme://host:port`, normalised (lower case, explicit port), which
/// keys the token cache: one file per origin, several tokens per origin.
public struct Origin: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`, lower-case.
    public let scheme: String
    /// The host, lower-case.
    public let host: String
    /// The port, the scheme's default when the URL names none.
    public let port: Int

    /// The origin of `url`, or nil when it has no http(s) scheme or no host.
    public init?(url: URL) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host?.lowercased(), !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
    }

    /// Parses `scheme://host:port` (as stored in the cache) or any http(s) URL.
    public init?(_ text: String) {
        guard let url = URL(string: text) else { return nil }
        self.init(url: url)
    }

    public var description: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed):\(port)"
    }

    /// `host:port`, as the budget's per-host limit counts it.
    public var hostAndPort: String { "\(host):\(port)" }

    /// A file name safe on every file system: `http_127.0.0.1_8402.json`.
    public var fileName: String {
        let safeHost = String(host.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
        return "\(scheme)_\(safeHost)_\(port).json"
    }
}
