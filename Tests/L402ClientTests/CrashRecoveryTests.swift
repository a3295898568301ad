import Bolt11
import ByteEncoding
import Foundation
import L402Client
import NIOConcurrencyHelpers
import Synchronization
import Testing
import TestSupport

/// Crash recovery against a real `l402 serve`: a client interrupted before or after paying leaves
/// a pending token on disk, and the next client over the same token directory finishes it without
/// paying the payment hash twice. What was paid is read from the gateway's dev node (its settled
/// invoices), not from the clients.
@Suite struct CrashRecoveryTests {
    @Test func aChallengeSavedByARunThatDiedBeforePayingIsPaidOnceOnResume() async throws {
        try await ServedGateway.with { gateway in
            let directory = try TemporaryDirectory()
            let url = gateway.url.appendingPathComponent("multi/x")
            // What a client that died right after saving the pending challenge left on disk.
            let offer = try await gateway.challenge(url)
            let origin = try #require(Origin(url: url))
            let pending = CachedToken(
                origin: origin.description, scope: "/multi/", macaroon: offer.challenge.macaroon.encoded(), invoice: offer.challenge.invoice,
                paymentHash: Hex.encode(offer.paymentHash), amountSats: offer.amountSats, callsLimit: offer.calls,
                invoiceExpiresAt: offer.invoiceExpiresAt)
            try await TokenCache(directory: directory.path).savePending(pending)

            let client = try gateway.client(directory: directory)
            let response = try await client.send(L402Request(url: url))
            #expect(response.status == 200)
            #expect(response.payments.map(\.paymentHash) == [pending.paymentHash])
            #expect(response.payments.map(\.resumed) == [true])
            #expect(response.payments.map(\.recovered) == [false], "nothing was paid before: the resume pays")
            #expect(try gateway.settledInvoiceCount() == 1)
            #expect(try await client.cache.allTokens().map(\.isPending) == [false])
        }
    }

    @Test func aClientThatDiedRightAfterPayingIsResumedWithThePreimageAndNothingIsPaidAgain() async throws {
        try await ServedGateway.with { gateway in
            let directory = try TemporaryDirectory()
            let dying = try gateway.client(directory: directory, wallet: DiesAfterPaying(wallet: DevWallet(gateway: gateway.url)))
            let crash = await #expect(throws: L402ClientError.self) {
                try await dying.send(L402Request(url: gateway.url.appendingPathComponent("multi/x")))
            }
            guard case .paymentFailed? = crash else { Issue.record("expected paymentFailed, got \(String(describing: crash))"); return }
            #expect(try gateway.settledInvoiceCount() == 1, "the payment went through before the crash")
            let left = try await TokenCache(directory: directory.path).allTokens()
            #expect(left.map(\.isPending) == [true], "the challenge was saved before paying")

            // A fresh client, same token directory, a budget of 0: only the earlier payment can serve it.
            let fresh = try gateway.client(directory: directory, limits: BudgetLimits(totalSats: 0))
            let response = try await fresh.send(L402Request(url: gateway.url.appendingPathComponent("multi/y")))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "upstream saw GET /y")
            #expect(response.payments.map(\.paymentHash) == left.map(\.paymentHash))
            #expect(response.payments.map(\.recovered) == [true])
            #expect(await fresh.budget.spentSats == 0)
            #expect(try gateway.settledInvoiceCount() == 1, "exactly one invoice was ever paid")
            #expect(try await fresh.cache.allTokens().map(\.isPending) == [false])
            #expect(gateway.upstream.requestCount == 1)
        }
    }

    @Test func anLl402FetchKilledRightAfterPayingIsRecoveredByTheNextFetch() async throws {
        try await ServedGateway.with { gateway in
            let tokens = try TemporaryDirectory()
            let payer = NIOLockedValueBox<Int32?>(nil)
            let paymentsRelayed = NIOLockedValueBox(0)
            // The first fetch's wallet: the gateway's real dev pay, through a relay that kills the fetch
            // once the payment is made and before the answer reaches it.
            let relay = try await TestHTTPServer.start { request in
                guard request.method == "POST", request.uri.hasSuffix("/_l402/dev/pay") else { return .init(status: 404) }
                let paid = try? Subprocess.run("curl", [
                    "-sS", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@-",
                    gateway.url.appendingPathComponent("_l402/dev/pay").absoluteString,
                ], input: String(decoding: request.body, as: UTF8.self))
                if paid?.status == 0, paid?.stdout.contains("preimage") == true { paymentsRelayed.withLockedValue { $0 += 1 } }
                for _ in 0..<5000 where payer.withLockedValue({ $0 }) == nil { usleep(1000) }
                if let pid = payer.withLockedValue({ $0 }) { kill(pid, SIGKILL) }
                return .init(status: 500)  // nobody is left to read it
            }
            defer { Task { try? await relay.stop() } }
            let first = try RunningProcess(try Subprocess.l402Binary, [
                "fetch", gateway.url.appendingPathComponent("multi/a").absoluteString, "--token-dir", tokens.path,
                "--wallet", "dev=\(relay.url.absoluteString)", "-v",
            ])
            payer.withLockedValue { $0 = first.processIdentifier }
            let status = try await first.waitForExit()
            #expect(status == SIGKILL, "the fetch was killed: \(first.output)")
            #expect(paymentsRelayed.withLockedValue { $0 } == 1)
            #expect(try gateway.settledInvoiceCount() == 1)
            #expect(gateway.upstream.requestCount == 0)

            let second = try await gateway.fetch("/multi/b", tokenDir: tokens.path, ["--max-sats", "0"])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stdout == "upstream saw GET /b")
            #expect(second.stderr.contains("recovered the payment of 5 sats"), "\(second.stderr)")
            #expect(try gateway.settledInvoiceCount() == 1, "exactly one invoice was ever paid")
            #expect(gateway.upstream.requestCount == 1)
        }
    }

    @Test func whenTheLookUpFailsAWalletsAlreadyPaidRefusalLeadsBackToThePreimage() async throws {
        try await ServedGateway.with { gateway in
            let directory = try TemporaryDirectory()
            let url = gateway.url.appendingPathComponent("multi/x")
            let dying = try gateway.client(directory: directory, wallet: DiesAfterPaying(wallet: DevWallet(gateway: gateway.url)))
            await #expect(throws: L402ClientError.self) { try await dying.send(L402Request(url: url)) }

            // The next run's wallet keeps LND's rule and cannot look anything up at first: the resume
            // pays, is refused as already paid, looks again and recovers the preimage.
            let wallet = RefusesToPayTwice(wallet: DevWallet(gateway: gateway.url), failingLookUps: 1)
            let fresh = try gateway.client(directory: directory, limits: BudgetLimits(totalSats: 5), wallet: wallet)
            let response = try await fresh.send(L402Request(url: url))
            #expect(response.status == 200)
            #expect(response.payments.map(\.recovered) == [true])
            #expect(wallet.refusals == 1)
            #expect(await fresh.budget.spentSats == 0, "the reservation made to pay is given back")
            #expect(try gateway.settledInvoiceCount() == 1)
        }
    }
}

/// The real dev wallet in a process that dies the moment its payment is made: the payment goes
/// through, and every later call fails, as nothing more happens in a dead process.
/// A wallet that pays once, then "crashes" (throws) on the way back, as a process killed mid-payment.
final class DiesAfterPaying: Wallet {
    struct Died: Error {}
    let wallet: DevWallet
    private let dead = Mutex(false)

    init(wallet: DevWallet) {
        self.wallet = wallet
    }

    func pay(invoice: String) async throws -> [UInt8] {
        guard !dead.withLock({ $0 }) else { throw Died() }
        _ = try await wallet.pay(invoice: invoice)
        dead.withLock { $0 = true }
        throw Died()
    }

    func pastPayment(paymentHash: [UInt8]) async throws -> PastPayment {
        guard !dead.withLock({ $0 }) else { throw Died() }
        return try await wallet.pastPayment(paymentHash: paymentHash)
    }
}

/// The real dev wallet under LND's rule (the dev node answers a second payment with the same
/// preimage, LND refuses it): an invoice this wallet already paid is refused as already paid. Its
/// first `failingLookUps` look-ups fail, as when the node is briefly unreachable.
private final class RefusesToPayTwice: Wallet {
    let wallet: DevWallet
    private let failingLookUps: Mutex<Int>
    private let refusalCount = Mutex(0)
    var refusals: Int { refusalCount.withLock { $0 } }

    init(wallet: DevWallet, failingLookUps: Int) {
        self.wallet = wallet
        self.failingLookUps = Mutex(failingLookUps)
    }

    func pay(invoice: String) async throws -> [UInt8] {
        if case .paid = try await wallet.pastPayment(paymentHash: try Invoice.decode(invoice).paymentHash) {
            refusalCount.withLock { $0 += 1 }
            throw WalletError.alreadyPaid
        }
        return try await wallet.pay(invoice: invoice)
    }

    func pastPayment(paymentHash: [UInt8]) async throws -> PastPayment {
        let fails = failingLookUps.withLock { left in
            defer { left = max(0, left - 1) }
            return left > 0
        }
        if fails { throw WalletError.unreachable("the node is briefly unreachable") }
        return try await wallet.pastPayment(paymentHash: paymentHash)
    }
}
