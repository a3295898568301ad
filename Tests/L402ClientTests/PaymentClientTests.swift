import AsyncHTTPClient
import Bolt11
import ByteEncoding
import Foundation
import L402
import L402Client
import Lightning
import NIOHTTP1
import Testing
import TestSupport

/// The client paying `Payment` (Lightning `charge`) challenges of a server built from the L402
/// module's server-side types (`PaymentTestServer`), through the dev wallet over HTTP.
@Suite struct PaymentClientTests {
    func client(
        _ server: PaymentTestServer, directory: TemporaryDirectory, preference: SchemePreference = .auto,
        limits: BudgetLimits = .unlimited, wallet: (any Wallet)? = nil, policy: InvoicePolicy = InvoicePolicy()
    ) throws -> L402Client {
        L402Client(
            cache: try TokenCache(directory: directory.path), budget: Budget(limits: limits),
            wallet: wallet ?? DevWallet(gateway: server.url), preference: preference, invoicePolicy: policy)
    }

    @Test func paysEachCallOnceAndKeepsItsReceipt() async throws {
        let server = try await PaymentTestServer.start(priceSats: 3)
        defer { Task { try await server.stop() } }
        let directory = try TemporaryDirectory()
        let client = try client(server, directory: directory)
        for call in 1...2 {
            let response = try await client.send(L402Request(url: server.url.appendingPathComponent("weather/today")))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "paid /weather/today")
            #expect(response.payments.map(\.scheme) == ["Payment"], "call \(call): one Payment each")
            let receipt = try #require(response.receipt)
            #expect(receipt.reference == response.payments.first?.paymentHash)
            #expect(receipt.method == "lightning")
            #expect(receipt.challengeID != nil)
        }
        #expect(await client.budget.spentSats == 6)
        #expect(server.served == 2)
        let tokens = try await client.cache.allTokens()
        #expect(tokens.count == 2)
        #expect(tokens.allSatisfy { $0.scheme == "Payment" && $0.receipt != nil && $0.callsLeft == 0 })
        // The receipt on disk never holds the preimage.
        for token in tokens { #expect(!(try #require(token.receipt)).headerValue.contains(try #require(token.preimage))) }
    }

    @Test func schemeChoiceFollowsCallsAndPreference() async throws {
        for (calls, preference, expected) in [
            (3, SchemePreference.auto, "L402"), (1, .auto, "Payment"), (3, .payment, "Payment"), (1, .l402, "L402"),
        ] {
            let server = try await PaymentTestServer.start(priceSats: 2, l402Calls: calls)
            let directory = try TemporaryDirectory()
            let response = try await client(server, directory: directory, preference: preference)
                .send(L402Request(url: server.url.appendingPathComponent("weather/x")))
            try await server.stop()
            #expect(response.status == 200, "\(calls) calls, \(preference)")
            #expect(response.payments.map(\.scheme) == [expected], "\(calls) calls, \(preference)")
        }
    }

    /// Tampered Payment challenges, checked before paying: nothing is paid, nothing cached.
    @Test func refusesTamperedChallengesUnpaid() async throws {
        let cases: [(String, @Sendable (PaymentChallenge) -> PaymentChallenge, (L402ClientError) -> Bool)] = [
            ("amount", { c in Self.editingRequest(c) { $0.amountSats = 1 } }, { if case .amountMismatch = $0 { true } else { false } }),
            ("payment hash", { c in Self.editingRequest(c) { $0.paymentHash = Array(repeating: 1, count: 32) } }, { $0 == .paymentHashMismatch }),
            ("network", { c in Self.editingRequest(c) { $0.network = .mainnet } }, { if case .wrongNetwork = $0 { true } else { false } }),
            ("expired", { c in var c = c; c.expires = "2020-01-01T00:00:00Z"; return c }, { if case .expired = $0 { true } else { false } }),
            ("digest of another body", { c in var c = c; c.digest = ContentDigest.sha256([1]); return c }, { if case .malformedChallenge = $0 { true } else { false } }),
            ("unknown method", { c in var c = c; c.method = "tempo"; return c }, { if case .malformedChallenge = $0 { true } else { false } }),
        ]
        for (name, tamper, matches) in cases {
            let server = try await PaymentTestServer.start(tamper: tamper)
            let directory = try TemporaryDirectory()
            let client = try client(server, directory: directory)
            let error = await #expect(throws: L402ClientError.self, "\(name)") {
                try await client.send(L402Request(url: server.url.appendingPathComponent("weather/x")))
            }
            try await server.stop()
            #expect(error.map(matches) == true, "\(name): \(String(describing: error))")
            #expect(error?.isChallengeRefusal == true, "\(name)")
            #expect(await client.budget.spentSats == 0, "\(name)")
            #expect(try await client.cache.allTokens().isEmpty, "\(name)")
        }
    }

    @Test func refusesAnInvoiceOfAnotherNetworkOrPayeeThanThePolicy() async throws {
        let server = try await PaymentTestServer.start()
        defer { Task { try await server.stop() } }
        let url = server.url.appendingPathComponent("weather/x")
        let directory = try TemporaryDirectory()
        for policy in [InvoicePolicy(network: .bitcoin), InvoicePolicy(payee: NodeKey.random().publicKey)] {
            let client = try client(server, directory: directory, policy: policy)
            await #expect(throws: L402ClientError.self) { try await client.send(L402Request(url: url)) }
            #expect(await client.budget.spentSats == 0)
        }
        let pinned = try client(server, directory: directory, policy: InvoicePolicy(network: .regtest, payee: server.node.key.publicKey))
        #expect(try await pinned.send(L402Request(url: url)).status == 200)
    }

    @Test func aPOSTBodyIsBoundByTheDigestAndPaidFor() async throws {
        let server = try await PaymentTestServer.start()
        defer { Task { try await server.stop() } }
        let directory = try TemporaryDirectory()
        let client = try client(server, directory: directory)
        let response = try await client.send(L402Request(url: server.url.appendingPathComponent("weather/q"), method: "POST", body: Array(#"{"q":1}"#.utf8)))
        #expect(response.status == 200)
        #expect(response.receipt != nil)
    }

    /// The server side: a credential succeeds once; presented again it gets 402, a fresh challenge
    /// and an `invalid-challenge` problem.
    @Test func aReplayedCredentialGetsA402WithAProblemAndAFreshChallenge() async throws {
        let server = try await PaymentTestServer.start()
        defer { Task { try await server.stop() } }
        let directory = try TemporaryDirectory()
        let client = try client(server, directory: directory)
        let url = server.url.appendingPathComponent("weather/x")
        let first = try await client.send(L402Request(url: url))
        let credential = try #require(first.token?.authorizationHeader)
        #expect(credential.hasPrefix("Payment "))
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Authorization", value: credential)
        let replay = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(replay.status == .paymentRequired)
        #expect(replay.headers["Content-Type"] == [PaymentProblem.contentType])
        #expect(replay.headers["Payment-Receipt"].isEmpty)
        let fresh = try PaymentChallenge.parseAll(headerValues: replay.headers["WWW-Authenticate"])
        #expect(fresh.count == 1 && fresh[0].id != first.receipt?.challengeID)
        let problem = try JSONValue.parse(Array(try await replay.body.collect(upTo: 1 << 16).readableBytesView))
        #expect(problem["type"] == .string(PaymentProblemKind.invalidChallenge.typeURI))
        #expect(problem["status"] == .number(402))
        #expect(server.served == 1)
    }

    /// A run that died after paying left the Payment challenge pending; the next run resumes it
    /// with the wallet's preimage, presents the credential, and pays nothing again.
    @Test func aPaymentPaidByARunThatDiedIsRedeemedWithoutPayingAgain() async throws {
        let server = try await PaymentTestServer.start(priceSats: 4)
        defer { Task { try await server.stop() } }
        let directory = try TemporaryDirectory()
        let url = server.url.appendingPathComponent("weather/x")
        let dying = try client(server, directory: directory, wallet: DiesAfterPaying(wallet: DevWallet(gateway: server.url)))
        await #expect(throws: L402ClientError.self) { try await dying.send(L402Request(url: url)) }
        let left = try await TokenCache(directory: directory.path).allTokens()
        #expect(left.map(\.isPending) == [true])
        #expect(left.map(\.scheme) == ["Payment"])

        let fresh = try client(server, directory: directory, limits: BudgetLimits(totalSats: 0))
        let response = try await fresh.send(L402Request(url: url))
        #expect(response.status == 200)
        #expect(response.payments.map(\.recovered) == [true])
        #expect(response.payments.map(\.paymentHash) == left.map(\.paymentHash))
        #expect(response.receipt?.reference == left.first?.paymentHash)
        #expect(await fresh.budget.spentSats == 0)
        #expect(server.served == 1)
    }

    /// LSAT, L402 and Payment in one 402, in separate header lines or one comma-joined value:
    /// the L402 reader still finds its challenge, the Payment reader its own.
    @Test func theL402ReaderIsNotConfusedByAPaymentChallenge() async throws {
        let node = DevNode(key: .random(), store: InMemoryDevInvoiceStore())
        let minted = try await Minter(node: node, secrets: InMemorySecretStore(), location: "t")
            .mint(tool: "weather", priceSats: 5, calls: 2, validForSeconds: nil, memo: "m")
        let invoice = try await node.createInvoice(amountSats: 5, memo: "p", expirySeconds: 600)
        let payment = try PaymentChallengeIssuer(binding: ChallengeBinding(secret: ChallengeBinding.randomSecret()), realm: "r")
            .challenge(invoice: invoice.paymentRequest)
        for values in [minted.headerValues + [payment.headerValue], [payment.headerValue] + minted.headerValues,
                       [([payment.headerValue] + minted.headerValues).joined(separator: ", ")]] {
            let l402 = try ChallengeCheck.offer(wwwAuthenticate: values, body: [])
            #expect(l402.paymentHash == minted.paymentHash)
            #expect(try PaymentChallenge.parseAll(headerValues: values) == [payment])
            guard case .payment(let chosen) = try ChallengeCheck.choose(wwwAuthenticate: values, body: [], requestBody: nil, preference: .payment)
            else { Issue.record("Payment not chosen"); continue }
            #expect(chosen.paymentHash == invoice.paymentHash)
        }
    }

    /// `l402 fetch --prefer-scheme payment` pays the Payment offer of a 402 that also offers L402,
    /// and `l402 token list` shows the token with its receipt.
    @Test func fetchPaysWithThePreferredSchemeAndTokenListShowsTheReceipt() async throws {
        let server = try await PaymentTestServer.start(priceSats: 2, l402Calls: 5)
        defer { Task { try await server.stop() } }
        let directory = try TemporaryDirectory()
        let url = server.url.appendingPathComponent("weather/x").absoluteString
        let fetched = try await Subprocess.l402InBackground(
            ["fetch", url, "--wallet", "dev=\(server.url.absoluteString)", "--token-dir", directory.path, "--prefer-scheme", "payment", "-v"])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.stdout == "paid /weather/x")
        #expect(fetched.stderr.contains("paying with Payment"), "\(fetched.stderr)")
        #expect(fetched.stderr.contains("Payment-Receipt: success"), "\(fetched.stderr)")
        let listed = try await Subprocess.l402InBackground(["token", "list", "--token-dir", directory.path])
        #expect(listed.status == 0)
        let token = try #require(try await TokenCache(directory: directory.path).allTokens().first)
        let reference = try #require(token.receipt?.reference)
        #expect(listed.stdout.contains("Payment"), "\(listed.stdout)")
        #expect(listed.stdout.contains("receipt success"), "\(listed.stdout)")
        #expect(listed.stdout.contains(String(reference.prefix(12))), "\(listed.stdout)")
        #expect(!listed.stdout.contains(try #require(token.preimage)))

        let refused = try await Subprocess.l402InBackground(["fetch", url, "--prefer-scheme", "bitcoin"])
        #expect(refused.status != 0)
    }

    static func editingRequest(_ challenge: PaymentChallenge, _ edit: (inout LightningChargeRequest) -> Void) -> PaymentChallenge {
        guard var request = try? LightningChargeRequest(encoded: challenge.request) else { return challenge }
        edit(&request)
        var tampered = challenge
        tampered.request = request.encoded
        return tampered
    }
}
