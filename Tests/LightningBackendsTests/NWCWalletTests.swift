import ByteEncoding
import Crypto
import Foundation
import Lightning
import LightningBackends
import NWCStandInSupport
import Testing

/// `NWCWallet` against a real relay (`nostr-relay` from PyPI) and the wallet-service stand-in,
/// which pays through an embedded dev node: every outcome NIP-47 can report, and the timeouts.
@Suite(.nostrRelay) struct NWCWalletTests {
    /// The payee: a dev node that issues the invoices and knows when one is settled.
    let node = DevNode(key: .random(), store: InMemoryDevInvoiceStore())

    private func withService<T>(
        _ mode: NWCWalletService.Mode = .pay, offering: [NWCEncryption]? = [.nip44, .nip04], timeout: Duration = .seconds(30),
        _ body: (NWCWalletService, NWCWallet) async throws -> T
    ) async throws -> T {
        let service = NWCWalletService(relay: try NostrRelayProcess.suiteRelay.url, payer: LightningNodeWallet(node: node), offering: offering)
        service.mode = mode
        try await service.start()
        do {
            let result = try await body(service, NWCWallet(connection: try NWCConnectionURI(service.connectionURI), timeout: timeout))
            await service.stop()
            return result
        } catch {
            await service.stop()
            throw error
        }
    }

    private func invoice() async throws -> CreatedInvoice {
        try await node.createInvoice(amountSats: 21, memo: "nwc test", expirySeconds: 600)
    }

    private func settled(_ invoice: CreatedInvoice) async throws -> Bool {
        try await node.invoiceState(paymentHash: invoice.paymentHash) == .settled
    }

    @Test func paysWithNIP44() async throws {
        try await withService { service, wallet in
            let invoice = try await invoice()
            let before = Int(Date().timeIntervalSince1970)
            let preimage = try await wallet.pay(invoice: invoice.paymentRequest)
            #expect(Array(SHA256.hash(data: preimage)) == invoice.paymentHash)
            #expect(try await settled(invoice))
            // The request expires when the wallet stops waiting for it (30 s here).
            let after = Int(Date().timeIntervalSince1970)
            #expect(service.expirations.count == 1 && (before + 30...after + 31).contains(service.expirations[0]), "\(service.expirations)")
            #expect(service.paymentsMade == 1)
            #expect(service.schemesSeen == [.nip44])
            #expect(try await wallet.pastPayment(paymentHash: invoice.paymentHash) == .paid(preimage: preimage))
        }
    }

    @Test(arguments: [[NWCEncryption.nip04], nil])
    func fallsBackToNIP04(offering: [NWCEncryption]?) async throws {
        try await withService(offering: offering) { service, wallet in
            let invoice = try await invoice()
            let preimage = try await wallet.pay(invoice: invoice.paymentRequest)
            #expect(Array(SHA256.hash(data: preimage)) == invoice.paymentHash)
            #expect(service.schemesSeen == [.nip04])
        }
    }

    @Test func wrongCredentialsAreRefusedAndNothingIsPaid() async throws {
        try await withService { service, _ in
            let stranger = NWCWallet(connection: try NWCConnectionURI(service.connectionURI(secret: NostrSecretKey.random().secret)))
            let invoice = try await invoice()
            await #expect(throws: WalletError.failed("UNAUTHORIZED: no wallet is connected to this key")) {
                try await stranger.pay(invoice: invoice.paymentRequest)
            }
            #expect(service.paymentsMade == 0)
            #expect(try await !settled(invoice))
        }
    }

    @Test func anUnreachableRelayIsReportedAsSuch() async throws {
        let port = try freeLoopbackPort()
        let uri = "nostr+walletconnect://\(NostrSecretKey.random().publicKeyHex)?relay=ws://127.0.0.1:\(port)&secret=\(Hex.encode(NostrSecretKey.random().secret))"
        let wallet = NWCWallet(connection: try NWCConnectionURI(uri), timeout: .seconds(60))
        let error = await #expect(throws: WalletError.self) { try await wallet.pay(invoice: try await invoice().paymentRequest) }
        // Nothing was sent, so nothing can have been paid: a final failure, not an unknown outcome.
        guard case .failed(let detail)? = error else { Issue.record("expected .failed, got \(String(describing: error))"); return }
        #expect(detail.contains("did not reach the wallet service") && detail.contains("127.0.0.1:\(port)"), "\(detail)")
    }

    @Test func aDeadRelayIsSkippedForTheNextOne() async throws {
        try await withService { service, _ in
            let dead = "ws://127.0.0.1:\(try freeLoopbackPort())"
            let uri = "nostr+walletconnect://\(service.key.publicKeyHex)?relay=\(dead)&relay=\(service.relay)&secret=\(Hex.encode(service.clientKey.secret))"
            let wallet = NWCWallet(connection: try NWCConnectionURI(uri))
            let invoice = try await invoice()
            let preimage = try await wallet.pay(invoice: invoice.paymentRequest)
            #expect(Array(SHA256.hash(data: preimage)) == invoice.paymentHash)
            #expect(service.paymentsMade == 1)
        }
    }

    @Test func anInvoiceAlreadyPaidReturnsTheEarlierPreimageAndPaysOnce() async throws {
        try await withService { service, wallet in
            let invoice = try await invoice()
            let first = try await wallet.pay(invoice: invoice.paymentRequest)
            let second = try await wallet.pay(invoice: invoice.paymentRequest)
            #expect(first == second)
            #expect(service.paymentsMade == 1)
            // The service refused the second payment ("invoice already paid"); its record gave the preimage.
            #expect(service.requestsSeen == ["pay_invoice", "pay_invoice", "lookup_invoice"])
        }
    }

    @Test func aFailedPaymentCarriesItsReason() async throws {
        try await withService(.fail(code: "PAYMENT_FAILED", message: "no route found")) { service, wallet in
            let invoice = try await invoice()
            await #expect(throws: WalletError.failed("PAYMENT_FAILED: no route found")) {
                try await wallet.pay(invoice: invoice.paymentRequest)
            }
            #expect(try await !settled(invoice))
            #expect(try await wallet.pastPayment(paymentHash: invoice.paymentHash) == .failed("the wallet service reports the payment failed"))
        }
    }

    @Test func aRefusalBeforePayingIsFinalWithoutALookUp() async throws {
        try await withService(.fail(code: "INSUFFICIENT_BALANCE", message: "balance 3 sats")) { service, wallet in
            await #expect(throws: WalletError.failed("INSUFFICIENT_BALANCE: balance 3 sats")) {
                try await wallet.pay(invoice: try await invoice().paymentRequest)
            }
            #expect(service.requestsSeen == ["pay_invoice"])
        }
    }

    @Test func aPaymentThatStaysPendingIsInFlight() async throws {
        try await withService(.stayPending, timeout: .seconds(2)) { service, wallet in
            let invoice = try await invoice()
            let error = await #expect(throws: WalletError.self) { try await wallet.pay(invoice: invoice.paymentRequest) }
            guard case .unreachable(let detail)? = error else { Issue.record("expected .unreachable, got \(String(describing: error))"); return }
            #expect(detail.contains("outcome is unknown"))
            #expect(try await wallet.pastPayment(paymentHash: invoice.paymentHash) == .inFlight)
        }
    }

    @Test func aSlowAnswerPastTheTimeoutIsFoundByLookUp() async throws {
        try await withService(.answerAfterRelease, timeout: .seconds(2)) { service, wallet in
            let invoice = try await invoice()
            await #expect(throws: WalletError.self) { try await wallet.pay(invoice: invoice.paymentRequest) }
            // The answer is late, the payment is not: the wallet service's record has it.
            guard case .paid(let preimage) = try await wallet.pastPayment(paymentHash: invoice.paymentHash) else {
                Issue.record("the look-up did not find the payment"); return
            }
            #expect(Array(SHA256.hash(data: preimage)) == invoice.paymentHash)
            #expect(service.paymentsMade == 1)
            service.release()
        }
    }

    @Test func aRequestThatArrivesAfterItsExpirationIsIgnored() async throws {
        try await withService(.holdRequestUntilRelease, timeout: .seconds(1)) { service, wallet in
            let invoice = try await invoice()
            await #expect(throws: WalletError.self) { try await wallet.pay(invoice: invoice.paymentRequest) }
            // The client gave up; the held request is let go once its expiration (the client's deadline) has passed.
            let expiration = try #require(service.expirations.first)
            while Date().timeIntervalSince1970 < Double(expiration) { try await Task.sleep(for: .milliseconds(20)) }
            service.release()
            let deadline = Date().addingTimeInterval(60)
            while service.ignoredExpired == 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(service.ignoredExpired == 1)
            #expect(service.paymentsMade == 0)
            #expect(try await !settled(invoice))
        }
    }

    @Test func anUnknownPaymentIsNotFound() async throws {
        // lookup_invoice for an unknown hash is NOT_FOUND: nothing was paid.
        try await withService { _, wallet in
            let found = try await wallet.pastPayment(paymentHash: [UInt8](repeating: 1, count: 32))
            #expect(found == .notFound)
        }
    }
}
