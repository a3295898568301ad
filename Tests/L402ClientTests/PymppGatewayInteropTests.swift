import AsyncHTTPClient
import ByteEncoding
import Foundation
import L402
import L402Client
import Testing
import TestSupport

/// pympp against a real `l402 serve` (dev node): it reads the gateway's 402 `Payment` offer and checks
/// the id with its own HMAC under the gateway's secret, its credential serializer answers the offer
/// once the invoice is paid, and it reads the gateway's `Payment-Receipt`.
extension PymppInteropTests {
    @Test(arguments: ["Authorization", "Payment-Authorization"])
    func pymppPaysTheGatewaysPaymentOffer(header: String) async throws {
        try await ServedGateway.with { gateway in
            let url = gateway.url.appendingPathComponent("once/weather").absoluteString
            let first = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
            #expect(first.status.code == 402)
            let offer = try #require(first.headers["WWW-Authenticate"].first { $0.hasPrefix("Payment ") })
            let challenge = try PaymentChallenge(parsing: offer)
            let secret = try gateway.paymentBindingSecret()
            let preimage = try await DevWallet(gateway: gateway.url).pay(invoice: try LightningChargeRequest(encoded: challenge.request).invoice)

            let answers = try Self.exchange([
                Request(op: "parse_challenge", header: offer, secret_hex: Hex.encode(secret), realm: challenge.realm),
                Request(op: "credential", challenge_header: offer, preimage: Hex.encode(preimage)),
            ])
            let parsed = answers[0]
            #expect(parsed["id"] == .string(challenge.id) && parsed["realm"] == .string(challenge.realm))
            #expect(parsed["method"] == .string("lightning") && parsed["intent"] == .string("charge"))
            #expect(parsed["expires"] == challenge.expires.map(JSONValue.string))
            #expect(parsed["request"]?["amount"] == .string("2") && parsed["request"]?["currency"] == .string("sat"))
            #expect(parsed["request"]?["methodDetails"]?["network"] == .string("regtest"))
            #expect(parsed["bound"] == .bool(true), "pympp recomputes the gateway's id under its secret")
            #expect(parsed["canonical_request_b64"] == .string(challenge.request), "pympp's RFC 8785 gives the same request")

            var retry = HTTPClientRequest(url: url)
            retry.headers.add(name: header, value: try #require(answers[1]["authorization"]?.stringValue))
            let paid = try await HTTPClient.shared.execute(retry, timeout: .seconds(30))
            let body = try await paid.body.collect(upTo: 1 << 16)
            #expect(paid.status.code == 200, "\(String(buffer: body))")
            #expect(String(buffer: body) == "upstream saw GET /weather")
            let receiptHeader = try #require(paid.headers.first(name: "Payment-Receipt"))
            let read = try Self.exchange([Request(op: "parse_receipt", header: receiptHeader)])[0]
            let paymentHash = try #require(try LightningChargeRequest(encoded: challenge.request).paymentHash)
            #expect(read["status"] == .string("success") && read["method"] == .string("lightning"))
            #expect(read["reference"] == .string(Hex.encode(paymentHash)))
            let ours = try PaymentReceipt(parsing: receiptHeader)
            #expect(read["timestamp"]?.stringValue.flatMap(PaymentTime.parse) == PaymentTime.parse(ours.timestamp))
            #expect(ours.challengeID == challenge.id)
        }
    }
}
