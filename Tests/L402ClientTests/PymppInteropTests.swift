import ByteEncoding
import Crypto
import Foundation
import L402
import L402Client
import Lightning
import Testing
import TestSupport

/// pympp (PyPI, the Python SDK of the `Payment` scheme) against our types, both ways: it reads our
/// 402 challenge (and checks our HMAC binding and our JCS itself) and our receipt; its credential
/// serializer's output verifies with us; and our client pays a 402 that pympp's server produces,
/// with a Lightning `charge` method registered through pympp's plugin interface.
@Suite struct PymppInteropTests {
    static let peer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/pympp_peer.py").path
    static let secret = "pympp-interop-secret-0123456789abcdef"
    static let realm = "interop.example"

    /// One request of the peer's JSON protocol (see Peers/pympp_peer.py).
    struct Request: Encodable {
        var op: String
        var header: String?
        var secret: String?
        var secret_hex: String?
        var realm: String?
        var method: String?
        var intent: String?
        var request: [String: String]?
        var expires: String?
        var challenge_header: String?
        var preimage: String?
        var authorization: String?
    }

    static func exchange(_ requests: [Request]) throws -> [JSONValue] {
        let input = String(decoding: try JSONEncoder().encode(requests), as: UTF8.self)
        let output = try Subprocess.output("python3", [peer], input: input)
        guard case .array(let answers) = try JSONValue.parse(output), answers.count == requests.count else {
            throw Subprocess.Failure(description: "pympp peer answered: \(output.prefix(500))")
        }
        for answer in answers { if let error = answer["error"]?.stringValue { throw Subprocess.Failure(description: "pympp: \(error)") } }
        return answers
    }

    let node = DevNode(key: .random(), store: InMemoryDevInvoiceStore())
    var binding: ChallengeBinding { ChallengeBinding(secret: Array(Self.secret.utf8)) }

    func paidChallenge() async throws -> (PaymentChallenge, [UInt8]) {
        let invoice = try await node.createInvoice(amountSats: 21, memo: "interop", expirySeconds: 600)
        let challenge = try PaymentChallengeIssuer(binding: binding, realm: Self.realm)
            .challenge(invoice: invoice.paymentRequest, description: "Q&A <weather> ☀︎")
        let payment = try await node.pay(paymentRequest: invoice.paymentRequest, feeLimitSats: 0)
        return (challenge, payment.preimage)
    }

    @Test func pymppReadsOurChallengeChecksOurBindingAndReadsOurReceipt() async throws {
        let (challenge, preimage) = try await paidChallenge()
        let verified = try PaymentVerifier(binding: binding, realm: Self.realm)
            .verify(PaymentCredential(challenge: challenge, preimage: preimage))
        let receipt = PaymentReceipt(verified: verified)
        let answers = try Self.exchange([
            Request(op: "parse_challenge", header: challenge.headerValue, secret: Self.secret, realm: Self.realm),
            Request(op: "parse_receipt", header: receipt.headerValue),
        ])
        let parsed = answers[0]
        #expect(parsed["id"] == .string(challenge.id))
        #expect(parsed["realm"] == .string(Self.realm))
        #expect(parsed["method"] == .string("lightning") && parsed["intent"] == .string("charge"))
        #expect(parsed["request_b64"] == .string(challenge.request))
        #expect(parsed["expires"] == challenge.expires.map(JSONValue.string))
        #expect(parsed["request"]?["amount"] == .string("21"))
        #expect(parsed["request"]?["description"] == .string("Q&A <weather> ☀︎"))
        // pympp recomputes our id from the parameters with its own HMAC and its own RFC 8785.
        #expect(parsed["bound"] == .bool(true))
        #expect(parsed["canonical_request_b64"] == .string(challenge.request))

        let read = answers[1]
        #expect(read["status"] == .string("success"))
        #expect(read["method"] == .string("lightning"))
        #expect(read["reference"] == .string(Hex.encode(verified.paymentHash)))
        #expect(read["timestamp"]?.stringValue.flatMap(PaymentTime.parse) == PaymentTime.parse(receipt.timestamp))
    }

    @Test func credentialsCrossBothWays() async throws {
        let (challenge, preimage) = try await paidChallenge()
        let ours = PaymentCredential(challenge: challenge, preimage: preimage, source: "did:key:z6Mkinterop")
        let answers = try Self.exchange([
            Request(op: "credential", challenge_header: challenge.headerValue, preimage: Hex.encode(preimage)),
            Request(op: "parse_credential", authorization: ours.headerValue),
        ])
        // pympp's serializer → our strict parser and verifier.
        let theirs = try #require(answers[0]["authorization"]?.stringValue)
        let verified = try PaymentVerifier(binding: binding, realm: Self.realm).verify(authorization: theirs)
        #expect(verified.challengeID == challenge.id)
        // Our serializer → pympp's parser.
        let echo = try #require(answers[1]["challenge"])
        #expect(echo["id"] == .string(challenge.id) && echo["request"] == .string(challenge.request))
        #expect(echo["expires"] == challenge.expires.map(JSONValue.string))
        #expect(answers[1]["payload"]?["preimage"] == .string(Hex.encode(preimage)))
        #expect(answers[1]["source"] == .string("did:key:z6Mkinterop"))
    }

    /// The one place the two binding recipes part: pympp puts an advertised credential `header`
    /// into the HMAC input, before `opaque`. Without one (all we issue) the ids agree.
    @Test func pymppsHeaderSlotIsTheOnlyBindingDifference() throws {
        let request = ["amount": "21", "currency": "sat"]
        let requestB64 = JSONValue.object(request.map { ($0.key, .string($0.value)) }).canonicalBase64URL
        let expires = "2026-03-15T12:05:00Z"
        let answers = try Self.exchange([
            Request(op: "challenge_id", secret: Self.secret, realm: Self.realm, method: "lightning", intent: "charge", request: request, expires: expires),
            Request(op: "challenge_id", header: "Payment-Authorization", secret: Self.secret, realm: Self.realm, method: "lightning",
                    intent: "charge", request: request, expires: expires),
        ])
        let ours = binding.id(realm: Self.realm, method: "lightning", intent: "charge", request: requestB64, expires: expires)
        #expect(answers[0]["id"] == .string(ours))
        #expect(answers[1]["id"] != .string(ours))
        // pympp's with-header id is the HMAC of the draft's input with an eighth slot before opaque.
        let eightSlots = [Self.realm, "lightning", "charge", requestB64, expires, "", "Payment-Authorization", ""].joined(separator: "|")
        let mac = HMAC<SHA256>.authenticationCode(for: Array(eightSlots.utf8), using: SymmetricKey(data: Array(Self.secret.utf8)))
        #expect(answers[1]["id"] == .string(Base64URL.encode(Array(mac))))
    }

    /// pympp's server (our Lightning charge method on its plugin interface) issues the 402; our
    /// client checks it, pays the dev-node invoice, presents the credential and keeps pympp's receipt.
    @Test func ourClientPaysAPymppServer() async throws {
        let directory = try TemporaryDirectory()
        var invoices: [JSONValue] = []
        var hashes: [String] = []
        for _ in 0..<8 {  // pympp resolves the route input more than once per challenge
            let invoice = try await node.createInvoice(amountSats: 3, memo: "pympp", expirySeconds: 600)
            hashes.append(Hex.encode(invoice.paymentHash))
            invoices.append(.object([("invoice", .string(invoice.paymentRequest)), ("payment_hash", .string(hashes.last!)), ("network", .string("regtest"))]))
        }
        let setup = directory.file("setup.json")
        try Data(JSONValue.object([("price_sats", .number(3)), ("invoices", .array(invoices))]).canonicalBytes).write(to: URL(fileURLWithPath: setup))
        let server = try RunningProcess("python3", [Self.peer, "serve", Self.secret, Self.realm, setup])
        let port = try await server.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
        let url = URL(string: "http://127.0.0.1:\(port)/weather/today")!
        let client = L402Client(
            cache: try TokenCache(directory: directory.file("tokens")), budget: Budget(limits: BudgetLimits(totalSats: 3)),
            wallet: LightningNodeWallet(node: node))
        let response = try await client.send(L402Request(url: url))
        _ = try await server.terminate()
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        #expect(String(decoding: response.body, as: UTF8.self) == "pympp served /weather/today")
        #expect(response.payments.map(\.scheme) == ["Payment"])
        let paid = try #require(response.payments.first?.paymentHash)
        #expect(hashes.contains(paid))
        #expect(response.receipt?.reference == paid)
        #expect(response.receipt?.method == "lightning")
        #expect(try await client.cache.allTokens().first?.receipt == response.receipt)
        #expect(await client.budget.spentSats == 3)
    }
}
