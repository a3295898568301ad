/// A JSON value of an admin request with its field path (`price_sats`, `prices[1].method`), read
/// by the same `ToolReader` rules as the config file; errors become 400 `invalid_field`.
struct JSONField: ToolDocumentNode {
    var value: JSONValue
    /// Dotted path of the field; empty for the whole body.
    var path: String

    func error(_ reason: String) -> AdminFailure {
        .invalidField(path.isEmpty ? "body" : path, reason)
    }

    func mapping(allowedKeys: Set<String>?) throws(AdminFailure) -> [String: JSONField] {
        guard case .object(let object) = value else { throw error("expected a JSON object, got \(value.kind)") }
        var fields: [String: JSONField] = [:]
        for (key, member) in object {
            let child = path.isEmpty ? key : "\(path).\(key)"
            if let allowedKeys, !allowedKeys.contains(key) {
                throw JSONField(value: member, path: child).error("unknown field (known fields: \(allowedKeys.sorted().joined(separator: ", ")))")
            }
            fields[key] = JSONField(value: member, path: child)
        }
        return fields
    }

    func sequence() throws(AdminFailure) -> [JSONField] {
        guard case .array(let items) = value else { throw error("expected a JSON array, got \(value.kind)") }
        return items.enumerated().map { JSONField(value: $1, path: "\(path)[\($0)]") }
    }

    func string() throws(AdminFailure) -> String {
        guard case .string(let text) = value else { throw error("expected a string, got \(value.kind)") }
        return text
    }

    func wholeNumber(unit: String) throws(AdminFailure) -> Int {
        guard case .integer(let number) = value else {
            throw error("expected a whole number\(unit.isEmpty ? "" : " of \(unit)"), got \(value.kind)")
        }
        return number
    }

    func boolean() throws(AdminFailure) -> Bool {
        guard case .bool(let flag) = value else { throw error("expected true or false, got \(value.kind)") }
        return flag
    }

    var isNull: Bool { value == .null }
}
