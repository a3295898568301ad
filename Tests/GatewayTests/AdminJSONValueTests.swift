import L402
import Testing

@testable import Gateway

/// The admin API's JSON bodies: kinds kept apart, and nesting bounded, since a body nested a few
/// thousand levels deep once cost time quadratic in its depth (found by `Fuzz/Targets/AdminTool`).
@Suite struct AdminJSONValueTests {
    private static func parse(_ text: String) throws(JSONParseError) -> Gateway.JSONValue {
        try Gateway.JSONValue.parse(Array(text.utf8))
    }

    @Test func wholeNumbersFractionsAndBooleansKeepTheirKinds() throws {
        #expect(try Self.parse(#"{"a": 10, "b": 2.5, "c": true, "d": 1, "e": null, "f": "x"}"#) == .object([
            "a": .integer(10), "b": .number(2.5), "c": .bool(true), "d": .integer(1), "e": .null, "f": .string("x"),
        ]))
        // Up to 2^53 a double holds every whole number; beyond, it is not a count anyone meant.
        #expect(try Self.parse("9007199254740992") == .integer(9_007_199_254_740_992))
        #expect(try Self.parse("1e300") == .number(1e300))
        #expect(try Self.parse("-3") == .integer(-3))
    }

    @Test func deepNestingIsRefusedWithItsReason() throws {
        #expect(try Self.parse(String(repeating: "[", count: 32) + String(repeating: "]", count: 32)) != .null)
        #expect(throws: JSONParseError.tooDeep(limit: 32)) {
            try Self.parse(String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000))
        }
        #expect(throws: JSONParseError.tooDeep(limit: 32)) {
            try Self.parse(String(repeating: #"{"a":"#, count: 5000) + "1" + String(repeating: "}", count: 5000))
        }
    }

    @Test func aMemberNamedTwiceIsRefused() {
        #expect(throws: JSONParseError.duplicateMember("slug")) { try Self.parse(#"{"slug": "a", "slug": "b"}"#) }
    }
}
