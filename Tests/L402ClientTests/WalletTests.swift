import Foundation
@testable import Lightning
import Testing
@testable import L402Client

/// The shipped wallets' payment look-ups (`Wallet.pastPayment`), against real payees.
@Suite struct WalletTests {
    @Test func theDevWalletFindsItsPaymentAndPaysAnInvoiceOnlyOnce() async throws {
        try await ServedGateway.with { gateway in
            let offer = try await gateway.challenge(gateway.url.appendingPathComponent("once/x"))
            let wallet = DevWallet(gateway: gateway.url)
            #expect(try await wallet.pastPayment(paymentHash: offer.paymentHash) == .notFound)
            let preimage = try await wallet.pay(invoice: offer.challenge.invoice)
            #expect(try await wallet.pastPayment(paymentHash: offer.paymentHash) == .paid(preimage: preimage))
            #expect(try await wallet.pay(invoice: offer.challenge.invoice) == preimage)
            #expect(try gateway.settledInvoiceCount() == 1)
        }
    }

    @Test func theNodeWalletReadsTheNodesRecordOfItsPayments() async throws {
        let node = DevNode(key: .random(), store: InMemoryDevInvoiceStore())
        let wallet = LightningNodeWallet(node: node)
        let invoice = try await node.createInvoice(amountSats: 3, memo: "look-up", expirySeconds: 600)
        #expect(try await wallet.pastPayment(paymentHash: invoice.paymentHash) == .notFound)
        let preimage = try await wallet.pay(invoice: invoice.paymentRequest)
        #expect(try await wallet.pastPayment(paymentHash: invoice.paymentHash) == .paid(preimage: preimage))
    }

    /// Only `.failed` tells the client that nothing was paid; everything else sends it to the look-up.
    @Test func nodeErrorsSayWhetherThePaymentMayHaveGoneOut() {
        #expect(LightningNodeWallet.walletError(.alreadyPaid) == .alreadyPaid)
        #expect(LightningNodeWallet.walletError(.paymentInFlight) == .inFlight)
        #expect(LightningNodeWallet.walletError(.unreachable("down")) == .unreachable("down"))
        #expect(LightningNodeWallet.walletError(.malformedResponse("cut")) == .malformedResponse("cut"))
        #expect(LightningNodeWallet.walletError(.noRoute) == .failed(LightningError.noRoute.description))
        #expect(LightningNodeWallet.walletError(.insufficientBalance) == .failed(LightningError.insufficientBalance.description))
    }
}
