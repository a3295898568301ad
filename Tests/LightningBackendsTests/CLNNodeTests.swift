import BackendStandInSupport
import Bolt11
import ByteEncoding
import Crypto
import Foundation
import Lightning
import LightningBackends
import Testing
import TestSupport

/// `CLNNode` against `CLNStandIn`, a STAND-IN for Core Lightning's clnrest (no lightningd runs here):
/// HTTPS with a pinned self-signed certificate, the `Rune` header, JSON-RPC parameters checked
/// strictly, HTTP 201 results and JSON-RPC error objects; see BackendStandIns/CLNStandIn.swift.
@Suite struct CLNNodeTests {
    static func withStandIn(
        rune: ((CLNStandIn) -> String)? = nil, network: StandInNetwork = StandInNetwork(),
        _ body: (CLNStandIn, CLNNode) async throws -> Void
    ) async throws {
        let standIn = try await CLNStandIn.start(network: network)
        do {
            let node = try CLNNode(configuration: CLNConfiguration(
                restURL: standIn.url, rune: rune?(standIn) ?? standIn.gatewayRune, tlsCertificatePath: standIn.certificatePath,
                paymentTimeoutSeconds: 1, requestTimeoutSeconds: 5))
            try await body(standIn, node)
        } catch {
            try? await standIn.stop()
            throw error
        }
        try await standIn.stop()
    }

    @Test func createsInvoicesWithAnExplicitExpiryAndReportsTheirState() async throws {
        try await Self.withStandIn { standIn, node in
            let invoice = try await node.createInvoice(amountSats: 21, memo: "weather today", expirySeconds: 600)
            let sent = try #require(standIn.lastParams("invoice"))
            #expect(sent["amount_msat"] as? Int == 21_000)
            #expect(sent["expiry"] as? Int == 600)
            #expect(sent["description"] as? String == "weather today")
            #expect((sent["label"] as? String)?.hasPrefix("l402-") == true)
            let decoded = try Invoice.decode(invoice.paymentRequest)
            #expect(decoded.paymentHash == invoice.paymentHash && decoded.payee == standIn.key.publicKey && decoded.expiry == 600)

            // Two invoices never share a label (CLN refuses a duplicate with code 900).
            let second = try await node.createInvoice(amountSats: 21, memo: "weather today", expirySeconds: 600)
            #expect(second.paymentHash != invoice.paymentHash)

            #expect(try await node.invoiceState(paymentHash: invoice.paymentHash) == .open)
            standIn.network.settle(hash: invoice.paymentHash)
            #expect(try await node.invoiceState(paymentHash: invoice.paymentHash) == .settled)
            await #expect(throws: LightningError.invoiceNotFound) { try await node.invoiceState(paymentHash: Array(SHA256.hash(data: [2]))) }

            let info = try await node.info()
            #expect(info.publicKey == standIn.key.publicKey && info.alias == "standin-carol" && info.network == .regtest)

            let short = try await node.createInvoice(amountSats: 1, memo: "short", expirySeconds: 1)
            var state = try await node.invoiceState(paymentHash: short.paymentHash)
            let deadline = Date().addingTimeInterval(30)
            while state != .expired, Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
                state = try await node.invoiceState(paymentHash: short.paymentHash)
            }
            #expect(state == .expired)
        }
    }

    @Test func paysWithAFeeLimitAndFindsThePaymentAgain() async throws {
        let network = StandInNetwork()
        let payee = try network.issue(amountSat: 1_000, memo: "remote", expiry: 600, key: .random())
        try await Self.withStandIn(rune: { $0.walletRune }, network: network) { standIn, node in
            #expect(try await node.paymentStatus(paymentHash: payee.hash) == .unknown)
            let result = try await node.pay(paymentRequest: payee.request, feeLimitSats: 10)
            #expect(result.preimage == payee.preimage && result.feeMsat == 1_000)
            let sent = try #require(standIn.lastParams("pay"))
            #expect(sent["bolt11"] as? String == payee.request)
            #expect(sent["maxfee"] as? Int == 10_000)
            #expect(sent["retry_for"] as? Int == 1)
            #expect(try await node.paymentStatus(paymentHash: payee.hash) == .succeeded(result))
            // Paying it again returns the earlier result: nothing is paid twice.
            #expect(try await node.pay(paymentRequest: payee.request, feeLimitSats: 10) == result)
        }
    }

    @Test func mapsPaymentFailures() async throws {
        let network = StandInNetwork()
        try await Self.withStandIn(rune: { $0.walletRune }, network: network) { standIn, node in
            standIn.setRouteFee(msat: 50_000)
            let pricey = try network.issue(amountSat: 100, memo: "pricey", expiry: 600, key: .random())
            await #expect(throws: LightningError.noRoute) { try await node.pay(paymentRequest: pricey.request, feeLimitSats: 10) }
            #expect(network.invoice(hash: pricey.hash)?.settled == false, "over the fee limit nothing is paid")

            standIn.setRouteFee(msat: 0)
            let nobody = try StandInNetwork().issue(amountSat: 5, memo: "nobody", expiry: 600, key: .random())
            await #expect(throws: LightningError.noRoute) { try await node.pay(paymentRequest: nobody.request, feeLimitSats: 10) }
            #expect(try await node.paymentStatus(paymentHash: nobody.hash) == .failed(.paymentFailed("Core Lightning reports the payment failed")))

            // Paid by someone else: the payee refuses it (CLN's 203, with the reason).
            let paidElsewhere = try network.issue(amountSat: 5, memo: "taken", expiry: 600, key: .random())
            network.settle(hash: paidElsewhere.hash)
            await #expect(throws: LightningError.paymentFailed("failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)")) {
                try await node.pay(paymentRequest: paidElsewhere.request, feeLimitSats: 10)
            }
            standIn.setSpendable(sats: 10)
            let big = try network.issue(amountSat: 1_000, memo: "big", expiry: 600, key: .random())
            await #expect(throws: LightningError.paymentFailed("Ran out of routes to try after 1 attempt: see `paystatus`")) {
                try await node.pay(paymentRequest: big.request, feeLimitSats: 10)
            }
        }
    }

    @Test func aPaymentThePayeeHoldsStaysPendingUntilItSettles() async throws {
        let network = StandInNetwork()
        let held = try network.issue(amountSat: 50, memo: "held", expiry: 600, key: .random())
        network.hold(hash: held.hash)
        try await Self.withStandIn(rune: { $0.walletRune }, network: network) { standIn, node in
            let error = await #expect(throws: LightningError.self) { try await node.pay(paymentRequest: held.request, feeLimitSats: 10) }
            guard case .unreachable(let detail)? = error else { Issue.record("expected unreachable, got \(String(describing: error))"); return }
            #expect(detail.contains("no answer within 6 s"), "\(detail)")
            #expect(try await node.paymentStatus(paymentHash: held.hash) == .inFlight)
            await #expect(throws: LightningError.paymentInFlight) { try await node.pay(paymentRequest: held.request, feeLimitSats: 10) }
            network.release(hash: held.hash)
            guard case .succeeded(let result) = try await node.paymentStatus(paymentHash: held.hash) else {
                Issue.record("expected the released payment to succeed"); return
            }
            #expect(result.preimage == held.preimage)
            #expect(standIn.payAttempts == 2)
        }
    }

    @Test func runesAreCheckedPerMethod() async throws {
        try await Self.withStandIn(rune: { _ in "notarune0000" }) { _, node in
            await #expect(throws: LightningError.unauthorized("Not authorized: Not derived from master")) { try await node.info() }
        }
        // The gateway's rune allows invoices, not payments; the wallet's the reverse.
        let network = StandInNetwork()
        let payee = try network.issue(amountSat: 1, memo: "x", expiry: 600, key: .random())
        try await Self.withStandIn(network: network) { _, node in
            await #expect(throws: LightningError.unauthorized("Not permitted: method is not equal to getinfo")) {
                try await node.pay(paymentRequest: payee.request, feeLimitSats: 10)
            }
        }
        try await Self.withStandIn(rune: { $0.walletRune }) { _, node in
            await #expect(throws: LightningError.unauthorized("Not permitted: method is not equal to getinfo")) {
                try await node.createInvoice(amountSats: 1, memo: "", expirySeconds: 60)
            }
        }
    }

    @Test func theCertificateIsPinnedAndASilentNodeTimesOut() async throws {
        try await Self.withStandIn { standIn, _ in
            // Another self-signed certificate than the node's: the handshake fails, nothing is sent.
            let other = try await CLNStandIn.start()
            let wrongPin = try CLNNode(configuration: CLNConfiguration(
                restURL: standIn.url, rune: standIn.gatewayRune, tlsCertificatePath: other.certificatePath, requestTimeoutSeconds: 3))
            let refused = await #expect(throws: LightningError.self) { try await wrongPin.info() }
            guard case .unreachable(let detail)? = refused else { Issue.record("expected unreachable, got \(String(describing: refused))"); return }
            #expect(detail.contains("TLS handshake failed") && detail.contains("CLN_TLS_CERT"), "\(detail)")
            try await other.stop()

            let relay = try await TCPRelay.start(to: "127.0.0.1", port: Int(URL(string: standIn.url)!.port!))
            let node = try CLNNode(configuration: CLNConfiguration(
                restURL: "https://127.0.0.1:\(relay.port)", rune: standIn.gatewayRune, tlsCertificatePath: standIn.certificatePath,
                requestTimeoutSeconds: 3))
            #expect(try await node.info().publicKey == standIn.key.publicKey)
            relay.silence()
            await #expect(throws: LightningError.unreachable("https://127.0.0.1:\(relay.port): no answer within 3 s")) { try await node.info() }
            await relay.stop()
        }
        let down = try CLNNode(configuration: CLNConfiguration(
            restURL: "https://127.0.0.1:\(try await ClosedPort.make())", rune: "abc", tlsCertificatePath: nil, requestTimeoutSeconds: 1))
        let error = await #expect(throws: LightningError.self) { try await down.info() }
        guard case .unreachable? = error else { Issue.record("expected unreachable, got \(String(describing: error))"); return }
    }

    @Test func configurationIsChecked() throws {
        #expect(throws: LightningError.self) { try CLNConfiguration(restURL: "http://127.0.0.1:3010", rune: "abc", tlsCertificatePath: nil) }
        #expect(throws: LightningError.self) { try CLNConfiguration(restURL: "https://127.0.0.1:3010", rune: "a b\n", tlsCertificatePath: nil) }
        #expect(try CLNConfiguration.fromEnvironment([:]) == nil)
        #expect(throws: LightningError.self) { try CLNConfiguration.fromEnvironment(["CLN_REST_URL": "https://127.0.0.1:3010"]) }
        let configuration = try #require(try CLNConfiguration.fromEnvironment(["CLN_REST_URL": "https://127.0.0.1:3010", "CLN_RUNE": "abc-_="]))
        #expect(configuration.rune == "abc-_=" && configuration.tlsCertificatePath == nil)
    }
}
