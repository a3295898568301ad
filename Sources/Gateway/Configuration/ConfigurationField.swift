import Foundation
import Yams

/// A YAML node with its dotted path, so every type check can name the field and its line.
struct Field {
    var node: Node
    var path: String
    var file: String

    func error(_ reason: String) -> ConfigurationError {
        ConfigurationError(file: file, line: node.mark?.line, column: node.mark?.column, field: path, reason: reason)
    }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The mapping's values by key; any key outside `allowedKeys` is an error.
    func mapping(allowedKeys: Set<String>) throws(ConfigurationError) -> [String: Field] {
        guard let mapping = node.mapping else { throw error("expected a mapping of `key: value` lines") }
        var fields: [String: Field] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                throw Field(node: keyNode, path: path, file: file).error("keys must be plain names")
            }
            guard allowedKeys.contains(key) else {
                let known = allowedKeys.sorted().joined(separator: ", ")
                throw Field(node: keyNode, path: child(key), file: file).error("unknown key (known keys: \(known))")
            }
            fields[key] = Field(node: value, path: child(key), file: file)
        }
        return fields
    }

    func sequence() throws(ConfigurationError) -> [Field] {
        guard let sequence = node.sequence else { throw error("expected a list of `- ` items") }
        return sequence.enumerated().map { Field(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    func string() throws(ConfigurationError) -> String {
        guard let scalar = node.scalar else { throw error("expected a text value") }
        return scalar.string
    }

    func nonEmptyString() throws(ConfigurationError) -> String {
        let value = try string().trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw error("must not be empty") }
        return value
    }

    func integer(in range: ClosedRange<Int>, unit: String = "") throws(ConfigurationError) -> Int {
        let text = try string()
        guard node.scalar?.style == .plain, let value = Int(text) else {
            throw error("expected a whole number\(unit.isEmpty ? "" : " of \(unit)"), got '\(text)'")
        }
        guard range.contains(value) else {
            throw error("\(value) is out of range (\(range.lowerBound)...\(range.upperBound)\(unit.isEmpty ? "" : " \(unit)"))")
        }
        return value
    }

    func satoshis() throws(ConfigurationError) -> UInt64 {
        // 21 million BTC is the most that can ever be paid.
        UInt64(try integer(in: 1...2_100_000_000_000_000, unit: "satoshis"))
    }

    /// `host:port`, `[v6]:port` or `:port` (host 127.0.0.1).
    func hostAndPort() throws(ConfigurationError) -> (String, Int) {
        let text = try nonEmptyString()
        guard let colon = text.lastIndex(of: ":") else { throw error("expected host:port, got '\(text)'") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw error("expected a port number 0...65535 after ':', got '\(text)'")
        }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }

    /// An absolute http(s) URL with a host and no query or fragment.
    func upstreamURL() throws(ConfigurationError) -> URL {
        let text = try nonEmptyString()
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            let url = components.url
        else { throw error("expected an http:// or https:// URL with a host, got '\(text)'") }
        guard components.query == nil, components.fragment == nil else {
            throw error("the upstream URL must not have a query or fragment: '\(text)'")
        }
        return url
    }

    /// An admin token of printable ASCII, long enough not to be guessed.
    func adminToken() throws(ConfigurationError) -> String {
        let token = try nonEmptyString()
        guard AdminToken.isAcceptable(token) else { throw error(AdminToken.requirement) }
        return token
    }
}
