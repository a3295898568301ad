import Foundation
import L402
import Macaroons
import Testing

@Suite struct CaveatRuleTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)
    static func request(tool: String = "weather", method: String = "GET", path: String = "/today", capability: String? = nil)
        -> ProtectedRequest
    {
        ProtectedRequest(tool: tool, method: method, path: path, now: now, capability: capability)
    }

    /// Every caveat key we understand, with a request it admits and one it refuses (and why).
    struct Rule: Sendable, CustomTestStringConvertible {
        var predicate: String
        var admits: ProtectedRequest
        var refuses: ProtectedRequest?
        var failure: AuthenticationFailure?
        var testDescription: String { predicate }
    }

    static let rules: [Rule] = [
        Rule(predicate: "tool=weather", admits: request(), refuses: request(tool: "search"), failure: .wrongTool),
        Rule(predicate: "services=weather:0,search:1", admits: request(tool: "search"), refuses: request(tool: "maps"), failure: .wrongTool),
        Rule(predicate: "weather_capabilities=read,list", admits: request(capability: "read"),
             refuses: request(capability: "write"), failure: .notAllowed("capability write is not among read,list")),
        Rule(predicate: "search_capabilities=read", admits: request(tool: "weather", capability: "write")),
        Rule(predicate: "weather_valid_until=1767225601", admits: request(),
             refuses: ProtectedRequest(tool: "weather", method: "GET", path: "/", now: now.addingTimeInterval(1)), failure: .expired),
        Rule(predicate: "search_valid_until=1", admits: request(tool: "weather")),
        Rule(predicate: "expires_at=1767225601", admits: request(),
             refuses: ProtectedRequest(tool: "weather", method: "GET", path: "/", now: now.addingTimeInterval(5)), failure: .expired),
        Rule(predicate: "amount_sats=21", admits: request()),
        Rule(predicate: "calls=3", admits: request()),
        Rule(predicate: "method=get,POST", admits: request(method: "post"), refuses: request(method: "DELETE"),
             failure: .notAllowed("method DELETE is not among GET,POST")),
        Rule(predicate: "path_prefix=/v1", admits: request(path: "/v1/forecast"), refuses: request(path: "/v10"),
             failure: .notAllowed("path is not under /v1")),
        Rule(predicate: "path_prefix=/v1/", admits: request(path: "/v1/x"), refuses: request(path: "/v1/../admin"),
             failure: .notAllowed("path is not under /v1/")),
        Rule(predicate: "path_prefix=/v1", admits: request(path: "/v1"), refuses: request(path: "/v1/%2e%2e/admin"),
             failure: .notAllowed("path is not under /v1")),
    ]

    @Test(arguments: rules)
    func eachRuleAdmitsAndRefuses(_ rule: Rule) throws {
        let caveat = try L402Caveat(predicate: rule.predicate)
        try caveat.check(rule.admits)
        if let refused = rule.refuses {
            #expect(throws: rule.failure!) { try caveat.check(refused) }
        }
    }

    @Test(arguments: rules.map(\.predicate))
    func predicatesRoundTripThroughTheParser(_ predicate: String) throws {
        let parsed = try L402Caveat(predicate: predicate)
        #expect(try L402Caveat(predicate: parsed.predicate) == parsed)
    }

    /// Fail closed: a restriction this server cannot read is never skipped.
    @Test(arguments: ["color=blue", "tools=weather", "TOOL=weather", "_capabilities=x", "ip=127.0.0.1", "time < 2030"])
    func unknownKeysAreRefused(_ predicate: String) {
        #expect(throws: AuthenticationFailure.self) { try L402Caveat(predicate: predicate) }
        if predicate.contains("=") {
            #expect(throws: AuthenticationFailure.unknownCaveat(String(predicate.prefix { $0 != "=" }))) {
                try L402Caveat(predicate: predicate)
            }
        }
    }

    @Test(arguments: [
        "calls=-1", "calls=", "calls=1.5", "calls= 2", "calls=99999999999999999999", "expires_at=soon", "amount_sats=0x10",
        "tool=", "tool=a b", "tool=a,b", "services=weather", "services=weather:x", "services=:0", "method=", "method=GET,,POST",
        "path_prefix=v1", "path_prefix=/a/../b", "path_prefix=/a/%2E%2E", "=x", "weather_valid_until=tomorrow",
    ])
    func malformedValuesAreRefused(_ predicate: String) {
        #expect(throws: AuthenticationFailure.self) { try L402Caveat(predicate: predicate) }
    }

    @Test func everyOccurrenceOfARepeatedKeyMustHoldAndTheSmallestCallsWins() throws {
        let caveats = ["tool=weather", "calls=10", "expires_at=1767229200", "calls=3", "expires_at=1767225700", "calls=5"]
            .map { Caveat(predicate: $0) }
        let evaluation = try CaveatEvaluation(caveats: caveats, request: Self.request())
        #expect(evaluation.callsLimit == 3)
        #expect(evaluation.expiresAt == Date(timeIntervalSince1970: 1_767_225_700))

        let conflicting = ["tool=weather", "tool=search"].map { Caveat(predicate: $0) }
        #expect(throws: AuthenticationFailure.wrongTool) { try CaveatEvaluation(caveats: conflicting, request: Self.request()) }
        #expect(throws: AuthenticationFailure.wrongTool) {
            try CaveatEvaluation(caveats: conflicting, request: Self.request(tool: "search"))
        }
    }
}

