import L402
import Foundation
import Yams

/// A YAML node with its dotted path, so every type check can name the field and its line.
/// The checks shared with the admin API (`nonEmptyString`, `integer`, `satoshis`, `upstreamURL`) come from `ToolDocumentNode`.
struct Field: ToolDocumentNode {
    var node: Node
    var path: String
    var file: String

    func error(_ reason: String) -> ConfigurationError {
        ConfigurationError(file: file, line: node.mark?.line, column: node.mark?.column, field: path, reason: reason)
    }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The mapping's values by key; any key outside `allowedKeys` is an error.
    func mapping(allowedKeys: Set<String>?) throws(ConfigurationError) -> [String: Field] {
        guard let mapping = node.mapping else { throw error("expected a mapping of `key: value` lines") }
        var fields: [String: Field] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                throw Field(node: keyNode, path: path, file: file).error("keys must be plain names")
            }
            if let allowedKeys, !allowedKeys.contains(key) {
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

    func wholeNumber(unit: String) throws(ConfigurationError) -> Int {
        let text = try string()
        guard node.scalar?.style == .plain, let value = Int(text) else {
            throw error("expected a whole number\(unit.isEmpty ? "" : " of \(unit)"), got '\(text)'")
        }
        return value
    }

    func boolean() throws(ConfigurationError) -> Bool {
        let text = try string()
        guard node.scalar?.style == .plain, let value = ["true": true, "false": false][text.lowercased()] else {
            throw error("expected true or false, got '\(text)'")
        }
        return value
    }

    var isNull: Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null"].contains(scalar.string.lowercased())
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

    /// An admin token of printable ASCII, long enough not to be guessed.
    func adminToken() throws(ConfigurationError) -> String {
        let token = try nonEmptyString()
        guard AdminToken.isAcceptable(token) else { throw error(AdminToken.requirement) }
        return token
    }
}
