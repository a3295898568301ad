import L402
import Foundation

/// A node of a document that describes tools: a YAML node of the config file, or a JSON value of an
/// admin API request. The tool rules (`ToolReader`) are written once against this protocol, so the
/// config file and the admin API accept exactly the same tools; each kind of node only says how to
/// read its own scalars and how to report an error at its own position.
protocol ToolDocumentNode {
    /// The error a bad value becomes: with line and column for YAML, with the field path for JSON.
    associatedtype Failure: Error

    /// An error about this node's value.
    func error(_ reason: String) -> Failure
    /// The values of a mapping (object) by key; a key outside `allowedKeys` is an error (nil: any key).
    func mapping(allowedKeys: Set<String>?) throws(Failure) -> [String: Self]
    /// The items of a sequence (array).
    func sequence() throws(Failure) -> [Self]
    /// A text value.
    func string() throws(Failure) -> String
    /// A whole number written as a number (not as text); `unit` names it in the error.
    func wholeNumber(unit: String) throws(Failure) -> Int
    /// `true` or `false`.
    func boolean() throws(Failure) -> Bool
    /// Whether the value is null (YAML `~`/`null`, JSON `null`): an optional field left unset.
    var isNull: Bool { get }
}

extension ToolDocumentNode {
    /// A text value with surrounding spaces removed, which must not be empty.
    func nonEmptyString() throws(Failure) -> String {
        let value = try string().trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw error("must not be empty") }
        return value
    }

    /// A whole number within `range`.
    func integer(in range: ClosedRange<Int>, unit: String = "") throws(Failure) -> Int {
        let value = try wholeNumber(unit: unit)
        guard range.contains(value) else {
            throw error("\(value) is out of range (\(range.lowerBound)...\(range.upperBound)\(unit.isEmpty ? "" : " \(unit)"))")
        }
        return value
    }

    /// A price: at least 1 sat, at most 21 million BTC (the most that can ever be paid).
    func satoshis() throws(Failure) -> UInt64 {
        UInt64(try integer(in: 1...2_100_000_000_000_000, unit: "satoshis"))
    }

    /// An absolute http(s) URL with a host and no query or fragment.
    func upstreamURL() throws(Failure) -> URL {
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
}
