import BackendStandInSupport
import Bolt11
import ByteEncoding
import Crypto
import Foundation
import Lightning
import LightningBackends
import Testing
import TestSupport

/// `PhoenixdNode` against `PhoenixdStandIn`, a STAND-IN for phoenixd's HTTP API (no phoenixd runs
/// here) that follows phoenixd 0.8's routes, form parameters, JSON and plain-text errors; see
/// BackendStandIns/PhoenixdStandIn.swift for what it checks.
@Suite struct PhoenixdNodeTests {
    static func withStandIn(
        password: ((PhoenixdStandIn) -> String)? = nil, network: StandInNetwork = StandInNetwork(),
        _ body: (PhoenixdStandIn, PhoenixdNode) async throws -> Void
    ) async throws {
        let standIn = try await PhoenixdStandIn.start(network: network)
        do {
            let node = try PhoenixdNode(configuration: PhoenixdConfiguration(
                url: standIn.url, password: password?(standIn) ?? standIn.password, paymentTimeoutSeconds: 1, requestTimeoutSeconds: 5))
            try await body(standIn, node)
        } catch {
            try? await standIn.stop()
            throw error
        }
        try await standIn.stop()
    }

    @Test func createsInvoicesWithAnExplicitExpiryAndReportsTheirState() async throws {
        try await Self.withStandIn(password: { $0.limitedPassword }) { standIn, node in
            let before = Date()
            let invoice = try await node.createInvoice(amountSats: 21, memo: String(repeating: "m", count: 200), expirySeconds: 600)
            let sent = try #require(standIn.lastForm(path: "/createinvoice"))
            #expect(sent["amountSat"] == "21")
            #expect(sent["expirySeconds"] == "600")
            #expect(sent["description"]?.count == 128, "phoenixd refuses descriptions over 128 characters")
            let decoded = try Invoice.decode(invoice.paymentRequest)
            #expect(decoded.paymentHash == invoice.paymentHash && decoded.payee == standIn.key.publicKey)
            #expect(decoded.amountMsat == 21_000 && decoded.expiry == 600)
            #expect(abs(invoice.expiresAt.timeIntervalSince(before) - 600) < 5)

            #expect(try await node.invoiceState(paymentHash: invoice.paymentHash) == .open)
            standIn.network.settle(hash: invoice.paymentHash)
            #expect(try await node.invoiceState(paymentHash: invoice.paymentHash) == .settled)
            await #expect(throws: LightningError.invoiceNotFound) {
                try await node.invoiceState(paymentHash: Array(SHA256.hash(data: [1])))
            }
            let info = try await node.info()
            #expect(info.publicKey == standIn.key.publicKey && info.network == .regtest && info.alias == "phoenixd 0.8.0-standin")
        }
    }

    @Test func anInvoiceLeftUnpaidExpires() async throws {
        try await Self.withStandIn { _, node in
            let invoice = try await node.createInvoice(amountSats: 1, memo: "short", expirySeconds: 1)
            // Expiry only ever moves forward: poll until it shows, with a generous deadline.
            var state = try await node.invoiceState(paymentHash: invoice.paymentHash)
            let deadline = Date().addingTimeInterval(30)
            while state != .expired, Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
                state = try await node.invoiceState(paymentHash: invoice.paymentHash)
            }
            #expect(state == .expired)
        }
    }

    @Test func paysLooksThePaymentUpAndNeverPaysTwice() async throws {
        let network = StandInNetwork()
        let payee = try network.issue(amountSat: 1_000, memo: "remote", expiry: 600, key: .random())
        try await Self.withStandIn(network: network) { standIn, node in
            #expect(try await node.paymentStatus(paymentHash: payee.hash) == .unknown)
            let result = try await node.pay(paymentRequest: payee.request, feeLimitSats: 10)
            #expect(result.preimage == payee.preimage && result.paymentHash == payee.hash)
            #expect(result.feeMsat == 8_000, "phoenixd's routingFeeSat, in msat")
            #expect(standIn.lastForm(path: "/payinvoice") == ["invoice": payee.request])
            guard case .succeeded(let found) = try await node.paymentStatus(paymentHash: payee.hash) else {
                Issue.record("expected the payment to be found succeeded"); return
            }
            #expect(found.preimage == payee.preimage)
            // phoenixd answers a second payment with HTTP 200 and the reason "this invoice has already been paid".
            await #expect(throws: LightningError.alreadyPaid) { try await node.pay(paymentRequest: payee.request, feeLimitSats: 10) }
        }
    }

    @Test func failedPaymentsComeBackAsHTTP200WithAReason() async throws {
        let network = StandInNetwork()
        try await Self.withStandIn(network: network) { standIn, node in
            let nobody = try StandInNetwork().issue(amountSat: 5, memo: "unreachable payee", expiry: 600, key: .random())
            await #expect(throws: LightningError.paymentFailed(PhoenixdStandIn.Reason.unreachable)) {
                try await node.pay(paymentRequest: nobody.request, feeLimitSats: 10)
            }
            #expect(try await node.paymentStatus(paymentHash: nobody.hash) == .failed(.paymentFailed("phoenixd reports the payment failed")))

            standIn.setBalance(sats: 10)
            let big = try network.issue(amountSat: 1_000, memo: "big", expiry: 600, key: .random())
            await #expect(throws: LightningError.insufficientBalance) { try await node.pay(paymentRequest: big.request, feeLimitSats: 10) }

            let attempts = standIn.payAttempts
            let garbage = await #expect(throws: LightningError.self) { try await node.pay(paymentRequest: "lnbcrt1garbage", feeLimitSats: 10) }
            guard case .invalidInvoice? = garbage else { Issue.record("expected invalidInvoice, got \(String(describing: garbage))"); return }
            #expect(standIn.payAttempts == attempts, "an unreadable invoice is refused before asking phoenixd")
        }
    }

    @Test func aPaymentThePayeeHoldsStaysInFlightUntilItSettles() async throws {
        let network = StandInNetwork()
        let held = try network.issue(amountSat: 50, memo: "held", expiry: 600, key: .random())
        network.hold(hash: held.hash)
        try await Self.withStandIn(network: network) { standIn, node in
            // phoenixd answers /payinvoice only once the payment is over: past our deadline it is unreachable.
            let error = await #expect(throws: LightningError.self) { try await node.pay(paymentRequest: held.request, feeLimitSats: 10) }
            guard case .unreachable(let detail)? = error else { Issue.record("expected unreachable, got \(String(describing: error))"); return }
            #expect(detail.contains("no answer within 6 s"), "\(detail)")
            #expect(try await node.paymentStatus(paymentHash: held.hash) == .inFlight)
            await #expect(throws: LightningError.paymentInFlight) { try await node.pay(paymentRequest: held.request, feeLimitSats: 10) }
            #expect(standIn.payAttempts == 2)

            network.release(hash: held.hash)
            guard case .succeeded(let result) = try await node.paymentStatus(paymentHash: held.hash) else {
                Issue.record("expected the released payment to succeed"); return
            }
            #expect(result.preimage == held.preimage)
        }
    }

    @Test func wrongPasswordsAreUnauthorized() async throws {
        try await Self.withStandIn(password: { _ in "not-the-password" }) { _, node in
            await #expect(throws: LightningError.unauthorized(
                "Invalid authentication (use basic auth with the http password set in phoenix.conf)")) { try await node.info() }
        }
        // The limited-access password creates invoices but may not pay.
        let network = StandInNetwork()
        let payee = try network.issue(amountSat: 1, memo: "x", expiry: 600, key: .random())
        try await Self.withStandIn(password: { $0.limitedPassword }, network: network) { _, node in
            _ = try await node.createInvoice(amountSats: 1, memo: "ok", expirySeconds: 60)
            await #expect(throws: LightningError.self) { try await node.pay(paymentRequest: payee.request, feeLimitSats: 10) }
            #expect(network.invoice(hash: payee.hash)?.settled == false)
        }
    }

    @Test func anUnreachableOrSilentNodeIsUnreachable() async throws {
        let down = try PhoenixdNode(configuration: PhoenixdConfiguration(
            url: "http://127.0.0.1:\(try await ClosedPort.make())", password: "pw", requestTimeoutSeconds: 1))
        let error = await #expect(throws: LightningError.self) { try await down.info() }
        guard case .unreachable? = error else { Issue.record("expected unreachable, got \(String(describing: error))"); return }

        try await Self.withStandIn { standIn, _ in
            let relay = try await TCPRelay.start(to: "127.0.0.1", port: Int(URL(string: standIn.url)!.port!))
            let node = try PhoenixdNode(configuration: PhoenixdConfiguration(
                url: "http://127.0.0.1:\(relay.port)", password: standIn.password, requestTimeoutSeconds: 3))
            #expect(try await node.info().publicKey == standIn.key.publicKey)
            relay.silence()
            await #expect(throws: LightningError.unreachable("http://127.0.0.1:\(relay.port): no answer within 3 s")) {
                try await node.info()
            }
            await relay.stop()
        }
    }
}
