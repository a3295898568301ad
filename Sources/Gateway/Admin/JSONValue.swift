import L402
import Foundation

/// Any JSON value, kept with its kind (a whole number apart from a fraction, `true` apart from 1), so
/// the admin API can check a request body field by field and merge a partial update.
enum JSONValue: Sendable, Equatable, Encodable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses JSON text with the strict parser the `Payment` scheme uses (`L402.JSONValue.parse`): linear
    /// in the input, 32 levels deep at most, a member named twice refused. (Decoding through `Decodable`
    /// tried each kind in turn, and every failed try built its coding path: quadratic in the nesting,
    /// which the fuzzer found.) A whole number a double holds exactly, within 2^53, is an `integer`.
    static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        JSONValue(try L402.JSONValue.parse(bytes))
    }

    init(_ parsed: L402.JSONValue) {
        switch parsed {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let value):
            let exactLimit = 9_007_199_254_740_992.0  // 2^53: beyond it a double skips whole numbers
            self = value.rounded() == value && abs(value) <= exactLimit ? .integer(Int(value)) : .number(value)
        case .string(let value): self = .string(value)
        case .array(let elements): self = .array(elements.map(JSONValue.init))
        case .object(let members): self = .object(Dictionary(members.map { ($0.0, JSONValue($0.1)) }, uniquingKeysWith: { _, last in last }))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The kind of value, for error messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer: "a number"
        case .number: "a fractional or too large number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
