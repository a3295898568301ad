import BackendStandInSupport
import Bolt11
import ByteEncoding
import Crypto
import Foundation
import Lightning
import LightningBackends
import Testing
import TestSupport

/// `LNbitsNode` against `LNbitsStandIn`, a STAND-IN for one LNbits wallet's REST API (`X-Api-Key`,
/// `out` defaulting to true, 201 answers, 404 "Wallet not found.", 520 payment errors); see
/// BackendStandIns/LNbitsStandIn.swift.
@Suite struct LNbitsNodeTests {
    static func withStandIn(
        key: ((LNbitsStandIn) -> String)? = nil, network: StandInNetwork = StandInNetwork(),
        _ body: (LNbitsStandIn, LNbitsNode) async throws -> Void
    ) async throws {
        let standIn = try await LNbitsStandIn.start(network: network)
        do {
            let node = try LNbitsNode(configuration: LNbitsConfiguration(
                url: standIn.url, apiKey: key?(standIn) ?? standIn.invoiceKey, paymentTimeoutSeconds: 1, requestTimeoutSeconds: 5))
            try await body(standIn, node)
        } catch {
            try? await standIn.stop()
            throw error
        }
        try await standIn.stop()
    }

    @Test func createsInvoicesSayingOutFalseAndReportsTheirState() async throws {
        try await Self.withStandIn { standIn, node in
            let invoice = try await node.createInvoice(amountSats: 21, memo: "weather today", expirySeconds: 600)
            let sent = try #require(standIn.lastBody(path: "/api/v1/payments"))
            // LNbits' `out` defaults to true: an invoice request that does not say false would try to pay.
            #expect(sent["out"] as? Bool == false)
            #expect(sent["amount"] as? Int == 21 && sent["unit"] as? String == "sat")
            #expect(sent["expiry"] as? Int == 600 && sent["memo"] as? String == "weather today")
            let decoded = try Invoice.decode(invoice.paymentRequest)
            #expect(decoded.paymentHash == invoice.paymentHash && decoded.expiry == 600)

            #expect(try await node.invoiceState(paymentHash: invoice.paymentHash) == .open)
            standIn.network.settle(hash: invoice.paymentHash)
            #expect(try await node.invoiceState(paymentHash: invoice.paymentHash) == .settled)
            await #expect(throws: LightningError.invoiceNotFound) { try await node.invoiceState(paymentHash: Array(SHA256.hash(data: [3]))) }

            let info = try await node.info()
            #expect(info.publicKey == standIn.key.publicKey && info.alias == "standin wallet" && info.network == .regtest)

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

    @Test func paysWithTheAdminKeyWithinTheFeeLimit() async throws {
        let network = StandInNetwork()
        let payee = try network.issue(amountSat: 1_000, memo: "remote", expiry: 600, key: .random())
        try await Self.withStandIn(key: { $0.adminKey }, network: network) { standIn, node in
            #expect(try await node.paymentStatus(paymentHash: payee.hash) == .unknown)
            let result = try await node.pay(paymentRequest: payee.request, feeLimitSats: 10)
            #expect(result.preimage == payee.preimage && result.feeMsat == 1_000)
            let sent = try #require(standIn.lastBody(path: "/api/v1/payments"))
            #expect(sent["out"] as? Bool == true && sent["bolt11"] as? String == payee.request)
            #expect(try await node.paymentStatus(paymentHash: payee.hash) == .succeeded(result))
            // LNbits answers a second payment with 520 "Payment already paid." and status "success".
            await #expect(throws: LightningError.alreadyPaid) { try await node.pay(paymentRequest: payee.request, feeLimitSats: 10) }
            #expect(standIn.payAttempts == 2)

            // LNbits reserves max(2 sats, 1 %) of routing fee: a 1 000 000-sat invoice needs 10 000 sats of fee room.
            let big = try network.issue(amountSat: 1_000_000, memo: "big", expiry: 600, key: .random())
            await #expect(throws: LightningError.paymentFailed(
                "LNbits lets its funding source spend up to 10000 sats of routing fee, over the fee limit of 10 sats")) {
                try await node.pay(paymentRequest: big.request, feeLimitSats: 10)
            }
            #expect(standIn.payAttempts == 2, "refused before asking LNbits to pay")
        }
    }

    @Test func mapsPaymentErrorsAnswered520() async throws {
        let network = StandInNetwork()
        try await Self.withStandIn(key: { $0.adminKey }, network: network) { standIn, node in
            let nobody = try StandInNetwork().issue(amountSat: 5, memo: "nobody", expiry: 600, key: .random())
            await #expect(throws: LightningError.paymentFailed("Payment failed: no route found")) {
                try await node.pay(paymentRequest: nobody.request, feeLimitSats: 10)
            }
            #expect(try await node.paymentStatus(paymentHash: nobody.hash) == .failed(.paymentFailed("LNbits reports the payment failed")))
            standIn.setBalance(sats: 10)
            let big = try network.issue(amountSat: 500, memo: "big", expiry: 600, key: .random())
            await #expect(throws: LightningError.insufficientBalance) { try await node.pay(paymentRequest: big.request, feeLimitSats: 10) }
        }
    }

    @Test func aPaymentLeftPendingIsInFlightUntilItSettles() async throws {
        let network = StandInNetwork()
        let held = try network.issue(amountSat: 50, memo: "held", expiry: 600, key: .random())
        network.hold(hash: held.hash)
        try await Self.withStandIn(key: { $0.adminKey }, network: network) { _, node in
            // LNbits answers 201 with status "pending" when its funding source has not finished.
            await #expect(throws: LightningError.paymentInFlight) { try await node.pay(paymentRequest: held.request, feeLimitSats: 10) }
            #expect(try await node.paymentStatus(paymentHash: held.hash) == .inFlight)
            await #expect(throws: LightningError.paymentInFlight) { try await node.pay(paymentRequest: held.request, feeLimitSats: 10) }
            network.release(hash: held.hash)
            guard case .succeeded(let result) = try await node.paymentStatus(paymentHash: held.hash) else {
                Issue.record("expected the released payment to succeed"); return
            }
            #expect(result.preimage == held.preimage)
        }
    }

    @Test func keysAreCheckedAsLNbitsDoes() async throws {
        try await Self.withStandIn(key: { _ in "00ff" }) { _, node in
            await #expect(throws: LightningError.unauthorized("Wallet not found.")) {
                try await node.createInvoice(amountSats: 1, memo: "", expirySeconds: 60)
            }
        }
        // The invoice key creates invoices but may not pay.
        let network = StandInNetwork()
        let payee = try network.issue(amountSat: 1, memo: "x", expiry: 600, key: .random())
        try await Self.withStandIn(network: network) { _, node in
            await #expect(throws: LightningError.unauthorized("Invoice (or Admin) key required.")) {
                try await node.pay(paymentRequest: payee.request, feeLimitSats: 10)
            }
            #expect(network.invoice(hash: payee.hash)?.settled == false)
        }
    }

    @Test func anUnreachableOrSilentNodeIsUnreachable() async throws {
        let down = try LNbitsNode(configuration: LNbitsConfiguration(
            url: "http://127.0.0.1:\(try await ClosedPort.make())", apiKey: "abcd", requestTimeoutSeconds: 1))
        let error = await #expect(throws: LightningError.self) { try await down.createInvoice(amountSats: 1, memo: "", expirySeconds: 60) }
        guard case .unreachable? = error else { Issue.record("expected unreachable, got \(String(describing: error))"); return }

        try await Self.withStandIn { standIn, _ in
            let relay = try await TCPRelay.start(to: "127.0.0.1", port: Int(URL(string: standIn.url)!.port!))
            let node = try LNbitsNode(configuration: LNbitsConfiguration(
                url: "http://127.0.0.1:\(relay.port)", apiKey: standIn.invoiceKey, requestTimeoutSeconds: 3))
            _ = try await node.createInvoice(amountSats: 1, memo: "", expirySeconds: 60)
            relay.silence()
            await #expect(throws: LightningError.unreachable("http://127.0.0.1:\(relay.port): no answer within 3 s")) {
                try await node.createInvoice(amountSats: 1, memo: "", expirySeconds: 60)
            }
            await relay.stop()
        }
    }
}
