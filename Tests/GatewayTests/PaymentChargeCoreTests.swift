import ByteEncoding
import Foundation
import Hummingbird
import L402
import L402Server
import Lightning
import Synchronization
import Testing

/// The `Payment` charge in the paywall core, without HTTP: two paywalls on one database (two
/// gateways) bind with the one shared key, and a charge succeeds once across both.
@Suite struct PaymentChargeCoreTests {
    @Test func twoPaywallsOnOneDatabaseShareTheBindingAndTheOneSuccess() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-charge-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try PaywallDatabase.sqlite(path: directory + "/l402.sqlite")
        let second = try PaywallDatabase.sqlite(path: directory + "/l402.sqlite")
        let node = DevNode(key: try DevNode.loadOrCreateKey(at: directory + "/dev-node.key"), store: first.store)
        let issuing = Paywall(store: first.store, node: node)
        let verifying = Paywall(store: second.store, node: node)
        let pricing = Pricing(tool: "weather", sats: 4, calls: 10)
        func request(_ authorization: String? = nil) -> PaywallRequest {
            var headers = HTTPFields()
            if let authorization { headers[.authorization] = authorization }
            return PaywallRequest(method: "GET", path: "/today", headers: headers, client: "192.0.2.1")
        }

        guard case .challenge(let offer) = await issuing.decide(request(), pricing: pricing) else {
            Issue.record("no challenge")
            return
        }
        let line = try #require(offer.headers[values: .wwwAuthenticate].last)
        let challenge = try PaymentChallenge(parsing: line)
        let charge = try LightningChargeRequest(encoded: challenge.request)
        let preimage = try await node.pay(paymentRequest: charge.invoice, feeLimitSats: 0).preimage
        let credential = PaymentCredential(challenge: challenge, preimage: preimage).headerValue

        guard case .authorized(let reservation) = await verifying.decide(request(credential), pricing: pricing) else {
            Issue.record("the second paywall did not accept the first one's challenge")
            return
        }
        #expect(reservation.scheme == .payment && reservation.token?.callsLimit == 1 && reservation.token?.amountSats == 4)
        let receipt = try PaymentReceipt(parsing: try #require(reservation.responseHeaders[.paymentReceipt]))
        #expect(receipt.reference == Hex.encode(try #require(charge.paymentHash)))
        #expect(reservation.responseHeaders[.cacheControl] == "private")

        // While the call is leased, neither paywall serves the credential again.
        guard case .refusal(let refused) = await issuing.decide(request(credential), pricing: pricing) else {
            Issue.record("a leased charge was served twice")
            return
        }
        #expect(refused.status.code == 402 && refused.headers[.contentType] == "application/problem+json")
        await reservation.commit(status: 200, latency: .milliseconds(3))
        let rows = try await first.store.invocations(tool: "weather", since: nil, until: nil, limit: 10, offset: 0)
        #expect(rows.count == 1 && rows.first?.scheme == "payment" && rows.first?.sats == 4)
        #expect(rows.first?.tokenID == receipt.reference)
    }

    /// A gateway that leased a charge's call and died: once the lease is older than its lifetime,
    /// another gateway of the database gives it back, and the same credential is served there.
    @Test func aChargeLeasedByADeadGatewayIsGivenBack() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-charge-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try PaywallDatabase.sqlite(path: directory + "/l402.sqlite")
        let node = DevNode(key: try DevNode.loadOrCreateKey(at: directory + "/dev-node.key"), store: database.store)
        let dead = Paywall(store: database.store, node: node)
        let pricing = Pricing(tool: "weather", sats: 4)
        func request(_ authorization: String? = nil) -> PaywallRequest {
            var headers = HTTPFields()
            if let authorization { headers[.authorization] = authorization }
            return PaywallRequest(method: "GET", path: "/today", headers: headers, client: "192.0.2.1")
        }
        guard case .challenge(let offer) = await dead.decide(request(), pricing: pricing) else {
            Issue.record("no challenge")
            return
        }
        let challenge = try PaymentChallenge(parsing: try #require(offer.headers[values: .wwwAuthenticate].last))
        let invoice = try LightningChargeRequest(encoded: challenge.request).invoice
        let preimage = try await node.pay(paymentRequest: invoice, feeLimitSats: 0).preimage
        let credential = PaymentCredential(challenge: challenge, preimage: preimage).headerValue
        guard case .authorized(let stranded) = await dead.decide(request(credential), pricing: pricing) else {
            Issue.record("the credential was not accepted")
            return
        }

        // Another gateway, whose clock is past the lease lifetime (300 s) and before the challenge expires.
        let survivor = Paywall(store: database.store, node: node, clock: { Date().addingTimeInterval(400) })
        let background = Task { try await survivor.run() }
        defer { background.cancel() }
        let deadline = ContinuousClock.now + .seconds(60)
        var served: Reservation?
        while served == nil, ContinuousClock.now < deadline {
            if case .authorized(let reservation) = await survivor.decide(request(credential), pricing: pricing) {
                served = reservation
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let reservation = try #require(served, "the stranded lease was never given back")
        await reservation.commit(status: 200, latency: .milliseconds(1))
        await stranded.commit(status: 200, latency: .milliseconds(1))  // the dead gateway's late commit books nothing
        let rows = try await database.store.invocations(tool: "weather", since: nil, until: nil, limit: 10, offset: 0)
        #expect(rows.map(\.sats).reduce(0, +) == 4, "one charge earns its price once")
    }

    /// When the `Payment` offer's own invoice cannot be made, the L402 offer stands alone; a tool
    /// that offers only `Payment` then answers 503.
    @Test func aFailedChargeInvoiceLeavesTheL402Offer() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-charge-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try PaywallDatabase.sqlite(path: directory + "/l402.sqlite")
        let node = DevNode(key: try DevNode.loadOrCreateKey(at: directory + "/dev-node.key"), store: database.store)
        let paywall = Paywall(store: database.store, node: OneInvoiceNode(base: node))
        let request = PaywallRequest(method: "GET", path: "/today", headers: [:], client: "192.0.2.1")

        let both = await paywall.decide(request, pricing: Pricing(tool: "weather", sats: 4)).response
        #expect(both?.status.code == 402)
        #expect(both?.headers[values: .wwwAuthenticate].map { $0.prefix(4) } == ["LSAT", "L402"])
        #expect(both.map { !String(decoding: $0.body, as: UTF8.self).contains("\"payment\"") } == true)

        let paymentOnly = await paywall.decide(request, pricing: Pricing(tool: "weather", sats: 4, schemes: [.payment])).response
        #expect(paymentOnly?.status.code == 503 && paymentOnly?.reason == "lightning_unavailable")
    }
}

/// A node that issues its first invoice (the first 402's L402 offer) and refuses every later one.
final class OneInvoiceNode: LightningNode {
    let base: DevNode
    private let issued = Mutex(0)
    init(base: DevNode) { self.base = base }

    func createInvoice(amountSats: UInt64, memo: String, expirySeconds: Int) async throws -> CreatedInvoice {
        let count = issued.withLock { count in
            count += 1
            return count
        }
        guard count == 1 else { throw LightningError.invalidInvoice("this node issues one invoice") }
        return try await base.createInvoice(amountSats: amountSats, memo: memo, expirySeconds: expirySeconds)
    }
    func invoiceState(paymentHash: [UInt8]) async throws -> InvoiceState { try await base.invoiceState(paymentHash: paymentHash) }
    func pay(paymentRequest: String, feeLimitSats: UInt64) async throws -> PaymentResult {
        try await base.pay(paymentRequest: paymentRequest, feeLimitSats: feeLimitSats)
    }
    func paymentStatus(paymentHash: [UInt8]) async throws -> PaymentStatus { try await base.paymentStatus(paymentHash: paymentHash) }
    func info() async throws -> NodeInfo { try await base.info() }
}
