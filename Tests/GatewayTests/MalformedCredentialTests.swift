import ByteEncoding
import Foundation
import L402
import Macaroons
import Testing

/// Garbage in the Authorization header: every value gets a 401 or 402 with a JSON error, never a
/// 500, and the gateway keeps serving paid calls afterwards.
@Suite struct MalformedCredentialTests {
    /// At least 40 broken headers, built around one real token so many are "almost right".
    static func malformedHeaders(macaroon mac: String, preimage pre: String) throws -> [String] {
        let real = try Macaroon(decoding: mac)
        let identifier = try L402Identifier(decoding: real.identifier)
        let forged = Macaroon(rootKey: Array(repeating: 7, count: 32), identifier: real.identifier)  // wrong root key
        let unknownToken = Macaroon(
            rootKey: Array(repeating: 1, count: 32),
            identifier: try L402Identifier(paymentHash: identifier.paymentHash, tokenID: .random()).encoded())
        let version1 = Macaroon(rootKey: Array(repeating: 1, count: 32), identifier: [0, 1] + Array(real.identifier.dropFirst(2)))
        let shortID = Macaroon(rootKey: Array(repeating: 1, count: 32), identifier: Array(real.identifier.prefix(10)))
        let bytes = try real.serialize(.v2)
        let truncated = Base64.encode(bytes.prefix(bytes.count / 2))
        let zeros = String(repeating: "0", count: 64)
        return [
            "", " ", "L402", "L402 ", "LSAT", "L402 :", "L402 ::", "L402 abc", "L402 abc:", "L402 :\(pre)",
            "L402 \(mac)", "L402 \(mac):", "L402 \(mac):zz", "L402 \(mac):00", "L402 \(mac):\(pre.dropLast())",
            "L402 \(mac):\(pre)0", "L402 \(mac):\(pre)00", "L402 \(mac):\(pre):\(pre)", "L402 \(mac),:\(pre)",
            "L402 ,\(mac):\(pre)", "L402 \(mac),garbage:\(pre)", "L402 !!!!:\(pre)", "L402 \(truncated):\(pre)",
            "L402 \(Base64.encode(Array("hello world".utf8))):\(pre)", "L402 {}:\(pre)", #"L402 {"v":2}:"# + pre,
            "L402 \(String(repeating: "A", count: 30_000)):\(pre)", "L402 \(mac.dropLast(4)):\(pre)",
            "L402 \(String(mac.reversed())):\(pre)", 
            "L402 macaroon=\"\(mac)\", invoice=\"lnbcrt1\"", "L402 version=\"0\", token=\"\(mac)\"",
            "L402 \(forged.encoded()):\(pre)", "L402 \(unknownToken.encoded()):\(pre)", "L402 \(version1.encoded()):\(pre)",
            "L402 \(shortID.encoded()):\(pre)", "L402 \(mac):\(zeros)", "LSAT \(mac):\(zeros)", "L402 ☃:\(pre)",
            "L402 \(mac):\(String(repeating: "g", count: 64))", "Bearer \(mac)", "Basic dXNlcjpwYXNz", "L402x \(mac):\(pre)",
            "Digest username=\"x\"", "L402 \(mac):\(pre.prefix(62))zz",
            "L402 \(Base64.encode(Array(repeating: 0xff, count: 300))):\(pre)",
        ]
    }

    @Test func everyMalformedHeaderGets4xxJSON() async throws {
        try await GatewayHarness.with(tools: PaymentFlowTests.standardTools) { gateway in
            let token = try await gateway.buy("/paid/")
            let headers = try Self.malformedHeaders(macaroon: token.macaroon, preimage: token.preimage)
            #expect(headers.count >= 40)
            for header in headers {
                let response = try await gateway.send(.GET, "/paid/", authorization: header)
                let shown = String(header.prefix(80))
                #expect(response.status == 401 || response.status == 402, "\(shown) → \(response.status) \(response.body)")
                #expect(response.headers.first(name: "Content-Type") == "application/json", "\(shown)")
                let json = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
                #expect(json?["error"] != nil || json?["invoice"] != nil, "\(shown) → \(response.body)")
                #expect(!response.body.contains(token.preimage), "\(shown) leaked the preimage")
            }
            // Still serving, and none of the garbage spent the real token's single call.
            #expect(try await gateway.send(.GET, "/_l402/health").status == 200)
            #expect(try await gateway.send(.GET, "/paid/", authorization: "L402 \(token.macaroon):\(token.preimage)").status == 200)
        }
    }
    /// A properly signed macaroon with 65 caveats (repeats of ones that hold) is refused before any
    /// HMAC, as malformed; with 64 it is served. A V2 JSON macaroon is refused on the request path.
    @Test func caveatCapAndBinaryOnlyThroughTheGateway() async throws {
        try await GatewayHarness.with(tools: PaymentFlowTests.standardTools) { gateway in
            let token = try await gateway.buy("/paid/")
            let bought = try Macaroon(decoding: token.macaroon)
            let repeated = try #require(bought.caveats.first?.predicate)
            func padded(to count: Int) -> Macaroon {
                (bought.caveats.count..<count).reduce(bought) { mac, _ in mac.addingFirstPartyCaveat(repeated) }
            }

            let tooMany = try await gateway.send(.GET, "/paid/", authorization: "L402 \(padded(to: 65).encoded()):\(token.preimage)")
            #expect(tooMany.status == 401)
            let refusal = try JSONSerialization.jsonObject(with: Data(tooMany.body.utf8)) as? [String: Any]
            #expect(refusal?["error"] as? String == "malformed_credential")
            #expect((refusal?["message"] as? String)?.contains("more than 64 caveats") == true, "\(tooMany.body)")

            let json = Base64.encode(try bought.serialize(.v2j))
            let jsonAnswer = try await gateway.send(.GET, "/paid/", authorization: "L402 \(json):\(token.preimage)")
            #expect(jsonAnswer.status == 401)
            #expect(jsonAnswer.body.contains("malformed_credential") && jsonAnswer.body.contains("V2 JSON"), "\(jsonAnswer.body)")

            let atTheCap = try await gateway.send(.GET, "/paid/", authorization: "L402 \(padded(to: 64).encoded()):\(token.preimage)")
            #expect(atTheCap.status == 200, "\(atTheCap.body)")
        }
    }
}
