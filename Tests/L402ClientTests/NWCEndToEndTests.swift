import Foundation
import L402Client
import LightningBackends
import NWCStandInSupport
import Testing
import TestSupport

/// A paid call end to end through Nostr Wallet Connect: a real `l402 serve` answers 402, the agent
/// pays through `NWCWallet` over a real relay (`nostr-relay` from PyPI), the wallet-service
/// stand-in pays the invoice through the gateway's dev node, and the retry gets the 200.
@Suite(.nostrRelay) struct NWCEndToEndTests {
    private func withService<T: Sendable>(
        _ gateway: ServedGateway, _ mode: NWCWalletService.Mode = .pay, _ body: (NWCWalletService) async throws -> T
    ) async throws -> T {
        let service = NWCWalletService(relay: try NostrRelayProcess.suiteRelay.url, payer: DevWallet(gateway: gateway.url))
        service.mode = mode
        try await service.start()
        do {
            let result = try await body(service)
            await service.stop()
            return result
        } catch {
            await service.stop()
            throw error
        }
    }

    @Test func fetchPaysThroughNWCAndNamesTheWallet() async throws {
        try await ServedGateway.with { gateway in
            try await withService(gateway) { service in
                let tokens = try TemporaryDirectory()
                let output = try await gateway.fetch("/once/hello", tokenDir: tokens.path, wallet: false, ["--wallet", "nwc=\(service.connectionURI)"])
                #expect(output.status == 0, "\(output.stderr)")
                #expect(output.stdout == "upstream saw GET /hello")
                #expect(output.stderr.contains("paid 2 sats"))
                #expect(output.stderr.contains("with Nostr Wallet Connect (wallet service \(service.key.publicKeyHex.prefix(16))"), "\(output.stderr)")
                #expect(!output.stderr.contains(service.connectionURI.components(separatedBy: "secret=")[1]))
                #expect(try gateway.settledInvoiceCount() == 1)
                #expect(service.paymentsMade == 1)
            }
        }
    }

    @Test func fetchReadsTheConnectionFromNWC_URI() async throws {
        try await ServedGateway.with { gateway in
            try await withService(gateway) { service in
                let tokens = try TemporaryDirectory()
                let output = try await Subprocess.l402InBackground(
                    ["fetch", gateway.url.absoluteString + "/multi/a", "--token-dir", tokens.path, "--wallet", "nwc"],
                    environment: ["NWC_URI": service.connectionURI])
                #expect(output.status == 0, "\(output.stderr)")
                #expect(output.stdout == "upstream saw GET /a")
                #expect(try gateway.settledInvoiceCount() == 1)
            }
        }
    }

    @Test func aFailedPaymentExitsWithItsReasonAndNothingIsPaid() async throws {
        try await ServedGateway.with { gateway in
            try await withService(gateway, .fail(code: "PAYMENT_FAILED", message: "no route found")) { service in
                let tokens = try TemporaryDirectory()
                let output = try await gateway.fetch("/once/x", tokenDir: tokens.path, wallet: false, ["--wallet", "nwc=\(service.connectionURI)"])
                #expect(output.status == 5, "\(output.stderr)")
                #expect(output.stderr.contains("PAYMENT_FAILED: no route found"))
                #expect(try gateway.settledInvoiceCount() == 0)
            }
        }
    }

    @Test func aRelayThatIsDownFailsThePaymentAndNothingIsPaid() async throws {
        try await ServedGateway.with { gateway in
            let tokens = try TemporaryDirectory()
            let uri = "nostr+walletconnect://\(NostrSecretKey.random().publicKeyHex)?relay=ws://127.0.0.1:\(try freeLoopbackPort())"
                + "&secret=\(String(repeating: "cd", count: 32))"
            let output = try await gateway.fetch("/once/x", tokenDir: tokens.path, wallet: false, ["--wallet", "nwc=\(uri)"])
            #expect(output.status == 5, "\(output.stderr)")
            #expect(output.stderr.contains("did not reach the wallet service"), "\(output.stderr)")
            #expect(!output.stderr.contains(String(repeating: "cd", count: 32)))
            #expect(try gateway.settledInvoiceCount() == 0)
        }
    }

    @Test func aBadConnectionStringIsRefusedWithoutShowingTheSecret() async throws {
        let secret = String(repeating: "ab", count: 32)
        let output = try await Subprocess.l402InBackground(
            ["fetch", "http://127.0.0.1:9/x", "--wallet", "nwc=nostr+walletconnect://nothex?relay=wss://r.example&secret=\(secret)"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("wallet service public key"), "\(output.stderr)")
        #expect(!output.stderr.contains(secret))
        let noURI = try await Subprocess.l402InBackground(["fetch", "http://127.0.0.1:9/x", "--wallet", "nwc"], environment: ["NWC_URI": ""])
        #expect(noURI.status != 0)
        #expect(noURI.stderr.contains("--wallet nwc needs nwc=URI or NWC_URI"), "\(noURI.stderr)")
    }

    /// The answer comes after the wallet's timeout: the client asks `lookup_invoice`, finds the
    /// payment made and uses it; the invoice is paid once.
    @Test func aSlowAnswerIsRecoveredByTheClientWithoutPayingTwice() async throws {
        try await ServedGateway.with { gateway in
            try await withService(gateway, .answerAfterRelease) { service in
                let directory = try TemporaryDirectory()
                let wallet = NWCWallet(connection: try NWCConnectionURI(service.connectionURI), timeout: .seconds(2))
                let client = try gateway.client(directory: directory, wallet: wallet)
                let response = try await client.send(L402Request(url: gateway.url.appendingPathComponent("once/slow")))
                service.release()
                #expect(response.status == 200)
                #expect(response.payments.map(\.amountSats) == [2])
                #expect(service.paymentsMade == 1)
                #expect(service.requestsSeen == ["pay_invoice", "lookup_invoice"])
                #expect(try gateway.settledInvoiceCount() == 1)
            }
        }
    }

    /// A payment that stays pending leaves the token pending; once the wallet service completes
    /// it, the next run finds it paid through `lookup_invoice` and pays nothing again.
    @Test func aPendingPaymentIsResumedLaterWithoutPayingTwice() async throws {
        try await ServedGateway.with { gateway in
            try await withService(gateway, .stayPending) { service in
                let directory = try TemporaryDirectory()
                let wallet = NWCWallet(connection: try NWCConnectionURI(service.connectionURI), timeout: .seconds(2))
                let url = gateway.url.appendingPathComponent("once/pending")
                await #expect { try await gateway.client(directory: directory, wallet: wallet).send(L402Request(url: url)) } throws: { error in
                    guard case .paymentInFlight? = error as? L402ClientError else { return false }
                    return true
                }
                #expect(try gateway.settledInvoiceCount() == 0)

                await service.finishPendingPayments()
                let response = try await gateway.client(directory: directory, wallet: wallet).send(L402Request(url: url))
                #expect(response.status == 200)
                #expect(response.payments.first?.recovered == true)
                #expect(service.paymentsMade == 1)
                #expect(try gateway.settledInvoiceCount() == 1)
            }
        }
    }
}
