import L402
import Foundation

/// Where and how to reach a PostgreSQL database, parsed from a
/// `postgres://user:password@host:port/database?option=value` URL.
///
/// Options (all optional): `sslmode` = `disable` | `prefer` (default) | `require` (TLS with the server's
/// certificate verified against the system roots), `schema` (tables live in this schema, created if missing;
/// default: the user's `search_path`), `pool_size` (connections per gateway, default 20), `timeout`
/// (seconds one store operation may wait for the database before it fails as unavailable, default 5).
/// The description never shows the password.
public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is encrypted.
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var username: String
    /// Never logged or shown.
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// The schema holding the tables; nil: the connection's default `search_path`.
    public var schema: String?
    /// Upper bound on open connections of one store.
    public var poolSize: Int
    /// How long one store operation may wait for the database (connecting, retrying) before it fails.
    public var timeout: Duration

    public init(
        host: String, port: Int = 5432, username: String, password: String?, database: String, tls: TLSMode = .prefer,
        schema: String? = nil, poolSize: Int = 20, timeout: Duration = .seconds(5)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.schema = schema
        self.poolSize = poolSize
        self.timeout = timeout
    }

    /// Whether `text` is meant as a PostgreSQL URL (`postgres://` or `postgresql://`), valid or not.
    public static func isPostgresURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` URL; user, password and database may be percent-encoded.
    public init(url text: String) throws(PostgresURLError) {
        guard Self.isPostgresURL(text) else { throw .notPostgres }
        guard let components = URLComponents(string: text) else { throw .malformed }
        guard let host = components.host, !host.isEmpty else { throw .missingHost }
        guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else { throw .missingUser }
        let database = String(components.percentEncodedPath.dropFirst()).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw .missingDatabase }
        if let port = components.port, !(1...65_535).contains(port) { throw .invalidPort }
        self.init(
            host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port: components.port ?? 5432,
            username: user, password: components.percentEncodedPassword?.removingPercentEncoding, database: database)
        var seen: Set<String> = []
        for item in components.queryItems ?? [] {
            guard seen.insert(item.name).inserted else { throw .repeatedOption(item.name) }
            try apply(option: item.name, value: item.value ?? "")
        }
    }

    private mutating func apply(option: String, value: String) throws(PostgresURLError) {
        switch option {
        case "sslmode":
            guard let mode = TLSMode(rawValue: value) else {
                throw .invalidOption(option, "expected disable, prefer or require, got '\(value)'")
            }
            tls = mode
        case "schema":
            guard Self.isPlainIdentifier(value) else {
                throw .invalidOption(option, "use lower-case letters, digits and '_', at most 63, not starting with a digit")
            }
            schema = value
        case "pool_size":
            guard let size = Int(value), (1...1000).contains(size) else { throw .invalidOption(option, "expected 1 to 1000") }
            poolSize = size
        case "timeout":
            guard let seconds = Int(value), (1...300).contains(seconds) else {
                throw .invalidOption(option, "expected whole seconds from 1 to 300")
            }
            timeout = .seconds(seconds)
        default:
            throw .unknownOption(option)
        }
    }

    /// A name PostgreSQL takes as is without quoting: `[a-z_][a-z0-9_]*`, at most 63 bytes.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return false }
        return name.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "_")
        }
    }

    /// The URL without the password, e.g. for the startup log.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        var text = "postgres://\(username)\(password == nil ? "" : ":***")@\(shownHost):\(port)/\(database)"
        if let schema { text += "?schema=\(schema)" }
        return text
    }
}

/// Why a database URL was rejected. Never contains the password.
public enum PostgresURLError: Error, Equatable, CustomStringConvertible {
    case notPostgres
    case malformed
    case missingHost
    case missingUser
    case missingDatabase
    case invalidPort
    case unknownOption(String)
    case repeatedOption(String)
    case invalidOption(String, String)

    public var description: String {
        switch self {
        case .notPostgres: "expected a URL starting with postgres:// or postgresql://"
        case .malformed: "not a valid URL (percent-encode special characters in the user and password)"
        case .missingHost: "the URL names no host (postgres://user:password@host:port/database)"
        case .missingUser: "the URL names no user (postgres://user:password@host:port/database)"
        case .missingDatabase: "the URL names no database after the host (postgres://user:password@host:port/database)"
        case .invalidPort: "the port must be 1 to 65535"
        case .unknownOption(let name): "unknown option '\(name)' (known: sslmode, schema, pool_size, timeout)"
        case .repeatedOption(let name): "option '\(name)' is given twice"
        case .invalidOption(let name, let reason): "option '\(name)': \(reason)"
        }
    }
}
