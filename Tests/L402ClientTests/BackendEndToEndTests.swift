import BackendStandInSupport
import Foundation
import L402Client
import Lightning
import LightningBackends
import Testing
import TestSupport

/// A paid call end to end on each node backend: a real `l402 serve` whose invoices come from the
/// stand-in of phoenixd, Core Lightning or LNbits, and a real `l402 fetch` paying through the stand-in
/// of another backend. The stand-ins share one network, so the payer's payment settles the very
/// invoice the gateway's node issued: 402 → the wallet pays → 200, and nothing is paid twice.
@Suite struct BackendEndToEndTests {
    /// The gateway's `lightning` section (or environment) for each backend's stand-in.
    enum Backend: String, CaseIterable, Sendable {
        case phoenixd, cln, lnbits
    }

    /// One stand-in of each backend on one network, stopped after `body`.
    struct StandIns: Sendable {
        let network: StandInNetwork
        let phoenixd: PhoenixdStandIn
        let cln: CLNStandIn
        let lnbits: LNbitsStandIn

        static func with(_ body: @Sendable (StandIns) async throws -> Void) async throws {
            let network = StandInNetwork()
            let standIns = StandIns(
                network: network, phoenixd: try await .start(network: network), cln: try await .start(network: network),
                lnbits: try await .start(network: network))
            do { try await body(standIns) } catch {
                try? await standIns.stop()
                throw error
            }
            try await standIns.stop()
        }

        func stop() async throws {
            try await phoenixd.stop()
            try await cln.stop()
            try await lnbits.stop()
        }

        /// How `l402 serve` is pointed at `backend`: phoenixd and LNbits through YAML, Core Lightning through the environment.
        func gateway(_ backend: Backend) -> (yaml: String, environment: [String: String]) {
            switch backend {
            case .phoenixd:
                ("lightning:\n  backend: phoenixd\n  url: \(phoenixd.url)\n  password: \(phoenixd.limitedPassword)\n", [:])
            case .cln:
                ("", ["CLN_REST_URL": cln.url, "CLN_RUNE": cln.gatewayRune, "CLN_TLS_CERT": cln.certificatePath])
            case .lnbits:
                ("lightning:\n  backend: lnbits\n  url: \(lnbits.url)\n  invoice_key: \(lnbits.invoiceKey)\n", [:])
            }
        }

        /// `l402 fetch --wallet …` for `backend`, with its secret in the environment.
        func wallet(_ backend: Backend) -> (option: String, environment: [String: String], shown: String) {
            switch backend {
            case .phoenixd: ("phoenixd=\(phoenixd.url)", ["PHOENIXD_PASSWORD": phoenixd.password], "phoenixd at \(phoenixd.url)")
            case .cln: ("cln=\(cln.url)", ["CLN_RUNE": cln.walletRune, "CLN_TLS_CERT": cln.certificatePath], "cln at \(cln.url)")
            case .lnbits: ("lnbits=\(lnbits.url)", ["LNBITS_ADMIN_KEY": lnbits.adminKey], "lnbits at \(lnbits.url)")
            }
        }

        /// The same wallet, in process, with short deadlines.
        func libraryWallet(_ backend: Backend) throws -> any Wallet {
            let node: any LightningNode = switch backend {
            case .phoenixd:
                try PhoenixdNode(configuration: PhoenixdConfiguration(
                    url: phoenixd.url, password: phoenixd.password, paymentTimeoutSeconds: 1, requestTimeoutSeconds: 5))
            case .cln:
                try CLNNode(configuration: CLNConfiguration(
                    restURL: cln.url, rune: cln.walletRune, tlsCertificatePath: cln.certificatePath, paymentTimeoutSeconds: 1,
                    requestTimeoutSeconds: 5))
            case .lnbits:
                try LNbitsNode(configuration: LNbitsConfiguration(
                    url: lnbits.url, apiKey: lnbits.adminKey, paymentTimeoutSeconds: 1, requestTimeoutSeconds: 5))
            }
            return LightningNodeWallet(node: node)
        }

        /// How many payments the stand-in of `backend` was asked to make.
        func payAttempts(_ backend: Backend) -> Int {
            switch backend {
            case .phoenixd: phoenixd.payAttempts
            case .cln: cln.payAttempts
            case .lnbits: lnbits.payAttempts
            }
        }
    }

    /// Each backend issues, another backend's wallet pays; together every wallet pays once.
    @Test(arguments: [(Backend.phoenixd, Backend.cln), (.cln, .lnbits), (.lnbits, .phoenixd)])
    func aPaidCallThroughTheGatewaysNodeAndAnotherNodesWallet(gatewayBackend: Backend, walletBackend: Backend) async throws {
        try await StandIns.with { standIns in
            let config = standIns.gateway(gatewayBackend)
            try await ServedGateway.with(lightningYAML: config.yaml, environment: config.environment) { gateway in
                let tokens = try TemporaryDirectory()
                let wallet = standIns.wallet(walletBackend)
                let fetch = { (path: String) in
                    try await Subprocess.l402InBackground(
                        ["fetch", gateway.url.absoluteString + path, "--token-dir", tokens.path, "-v", "--wallet", wallet.option],
                        environment: wallet.environment)
                }
                let first = try await fetch("/multi/a")
                #expect(first.status == 0, "\(first.stderr)")
                #expect(first.stdout == "upstream saw GET /a")
                #expect(first.stderr.contains("402: 5 sats for tool multi"), "\(first.stderr)")
                #expect(first.stderr.contains("paid 5 sats with \(wallet.shown)"), "\(first.stderr)")

                // The gateway's node issued one invoice per offer (L402 and Payment), of 5 sats each, and the
                // wallet's payment settled one of them: the L402 token's, which buys three calls.
                let issued = standIns.network.all
                #expect(issued.count == 2)
                #expect(issued.allSatisfy { $0.amountSat == 5 && $0.expiry == 600 }, "the gateway's invoice_expiry default")
                #expect(issued.filter(\.settled).count == 1)
                #expect(standIns.payAttempts(walletBackend) == 1)

                // The token has two calls left: the next fetch pays nothing.
                let second = try await fetch("/multi/b")
                #expect(second.status == 0, "\(second.stderr)")
                #expect(second.stderr.contains("using cached token"), "\(second.stderr)")
                #expect(standIns.payAttempts(walletBackend) == 1)
                #expect(gateway.upstream.requestCount == 2)
            }
        }
    }

    /// A payment the payee holds: the client never pays the same invoice again while it is in
    /// flight, and once the payee settles it the next request is served with that payment.
    @Test(arguments: Backend.allCases)
    func aPaymentLeftInFlightIsRecoveredWithoutPayingTwice(walletBackend: Backend) async throws {
        try await StandIns.with { standIns in
            let gatewayBackend: Backend = walletBackend == .cln ? .phoenixd : .cln
            let config = standIns.gateway(gatewayBackend)
            standIns.network.holdNewInvoices()
            try await ServedGateway.with(lightningYAML: config.yaml, environment: config.environment) { gateway in
                let directory = try TemporaryDirectory()
                let client = try gateway.client(directory: directory, limits: BudgetLimits(totalSats: 100), wallet: try standIns.libraryWallet(walletBackend))
                let url = gateway.url.appendingPathComponent("once/x")
                let first = await #expect(throws: L402ClientError.self) { try await client.send(L402Request(url: url)) }
                guard case .paymentInFlight? = first else { Issue.record("expected paymentInFlight, got \(String(describing: first))"); return }
                let again = await #expect(throws: L402ClientError.self) { try await client.send(L402Request(url: url)) }
                guard case .paymentInFlight? = again else { Issue.record("expected paymentInFlight, got \(String(describing: again))"); return }
                #expect(standIns.payAttempts(walletBackend) == 1, "a payment in flight is looked up, never sent again")

                // The 402 offered two invoices (L402 and Payment); whichever the client paid is let through.
                for invoice in standIns.network.all { standIns.network.release(hash: invoice.hash) }
                let response = try await client.send(L402Request(url: url))
                #expect(response.status == 200)
                #expect(response.payments.map(\.recovered) == [true])
                #expect(standIns.payAttempts(walletBackend) == 1)
                #expect(await client.budget.spentSats == 2)
                #expect(gateway.upstream.requestCount == 1)
            }
        }
    }

    /// `--wallet` says what is missing, and never pays without its secret.
    @Test(arguments: [
        (["--wallet", "cln=https://127.0.0.1:1"], "CLN_RUNE"),
        (["--wallet", "phoenixd=http://127.0.0.1:1"], "PHOENIXD_PASSWORD"),
        (["--wallet", "lnbits=http://127.0.0.1:1"], "LNBITS_ADMIN_KEY"),
        (["--wallet", "nwc"], "NWC_URI"),
        (["--wallet", "eclair=http://x"], "--wallet must be"),
    ])
    func walletOptionsNameWhatIsMissing(arguments: [String], expected: String) async throws {
        let tokens = try TemporaryDirectory()
        let result = try await Subprocess.l402InBackground(["fetch", "http://127.0.0.1:1/x", "--token-dir", tokens.path] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }
}
