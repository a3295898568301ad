import ArgumentParser
import Bolt11
import Foundation
import L402Client
import Lightning
import LightningBackends
import NIOHTTP1

/// `l402 fetch`: curl for paid tools. Pays L402 challenges within a budget, caches the tokens.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch a URL, paying its L402 or Payment challenge (within --max-sats) and reusing cached tokens.",
        discussion: """
            Prints the response body on stdout. With -v, tells on stderr what it paid and why.
            Tokens are kept in --token-dir (default $L402_TOKEN_DIR or ~/.l402/tokens, a 0600 JSON file per host)
            and reused while they have calls and time left.

            Schemes: a 402 may offer L402 (a macaroon, often several calls) and the IETF Payment scheme (Lightning
            charge, one call, answered with a Payment-Receipt kept beside the tokens). --prefer-scheme picks one;
            by default L402 when its token buys several calls, else Payment. An offer that fails its checks is never paid.

            \(WalletOption.usage)

            Exit codes: 0 success (HTTP 1xx-3xx); 1 request failed (transport, cache, usage);
            3 HTTP error status (4xx/5xx, body still printed); 4 refused by the budget (nothing paid);
            5 payment failed; 6 challenge refused (malformed, tampered, expired: nothing paid);
            7 payment required but no wallet.

            Examples:
              l402 fetch http://127.0.0.1:8402/echo/hi --wallet dev=http://127.0.0.1:8402 --max-sats 100 -v
              PHOENIXD_PASSWORD=… l402 fetch https://gw.example/echo/hi --wallet phoenixd=http://127.0.0.1:9740 --max-sats 100
              l402 fetch http://127.0.0.1:8402/echo/hi --credential "$(l402 token attenuate 1a2b3c --calls 1)"
            """
    )

    enum Exit {
        static let httpError: Int32 = 3
        static let overBudget: Int32 = 4
        static let paymentFailed: Int32 = 5
        static let challengeRefused: Int32 = 6
        static let noWallet: Int32 = 7
    }

    @Argument(help: "The URL to fetch.")
    var url: String

    @Option(name: [.customShort("X"), .customLong("request")], help: "HTTP method (default GET, or POST with -d).")
    var method: String?

    @Option(name: [.customShort("H"), .customLong("header")], help: "A request header, 'Name: value'. Repeatable.")
    var headers: [String] = []

    @Option(name: [.customShort("d"), .customLong("data")], help: "Request body (@FILE reads a file).")
    var data: String?

    @Option(name: .long, help: ArgumentHelp(stringLiteral: WalletOption.help))
    var wallet: String?

    @Option(name: .customLong("max-fee-sats"), help: "Most routing fee one payment may cost (default 10).")
    var maxFeeSats: UInt64 = 10

    @Option(name: .customLong("payment-timeout"), help: "Seconds one payment may take (default 60).")
    var paymentTimeout: Int = 60

    @Option(name: .customLong("max-sats"), help: "Most this command may pay in total (default: no limit).")
    var maxSats: UInt64?

    @Option(name: .customLong("max-sats-per-call"), help: "Most one payment may cost.")
    var maxSatsPerCall: UInt64?

    @Option(name: .customLong("token-dir"), help: "Token cache directory.")
    var tokenDir: String?

    @Option(name: .long, help: "Use this credential `<macaroon>:<preimage>` (e.g. a delegated token); pays nothing.")
    var credential: String?

    @Option(name: .customLong("prefer-scheme"), help: "l402 or payment: which scheme to pay when a 402 offers both (default: L402 when its token buys several calls, else payment).")
    var preferScheme: SchemePreference?

    @Option(name: .long, help: "Pay only invoices of this network (bitcoin, testnet, signet, regtest).")
    var network: String?

    @Flag(name: .shortAndLong, help: "Tell on stderr what was paid and why.")
    var verbose = false

    func run() async throws {
        guard let target = URL(string: url), target.scheme != nil else { throw ValidationError("not an absolute URL: \(url)") }
        var request = L402Request(url: target, method: method ?? (data == nil ? "GET" : "POST"), credential: credential)
        for header in headers {
            guard let colon = header.firstIndex(of: ":") else { throw ValidationError("-H wants 'Name: value', got \(header)") }
            request.headers.add(
                name: header[..<colon].trimmingCharacters(in: .whitespaces),
                value: header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        if let data {
            request.body = data.hasPrefix("@")
                ? Array(try Data(contentsOf: URL(fileURLWithPath: String(data.dropFirst())))) : Array(data.utf8)
        }
        let verbose = self.verbose
        guard paymentTimeout > 0 else { throw ValidationError("--payment-timeout must be positive") }
        let chosen = try wallet.map { try WalletOption.make($0, feeLimitSats: maxFeeSats, paymentTimeoutSeconds: paymentTimeout) }
        let walletName = chosen?.name
        var policy = InvoicePolicy()
        if let network {
            guard let parsed = Network(prefixOrName: network) else { throw ValidationError("unknown --network \(network)") }
            policy.network = parsed
        }
        let client = L402Client(
            cache: try TokenCache(directory: tokenDir ?? TokenCache.defaultDirectory),
            budget: Budget(limits: BudgetLimits(perCallSats: maxSatsPerCall, totalSats: maxSats)),
            wallet: chosen?.wallet, preference: preferScheme ?? .auto, invoicePolicy: policy,
            onEvent: { event in if verbose { Self.tell(event, wallet: walletName) } })
        let response: L402Response
        do {
            response = try await client.send(request)
        } catch {
            FileHandle.standardError.write(Data("l402 fetch: \(error)\n".utf8))
            throw ExitCode(Self.exitCode(error))
        }
        if verbose {
            FileHandle.standardError.write(Data("< HTTP \(response.status)\(response.payments.isEmpty ? " (nothing paid)" : "")\n".utf8))
        }
        FileHandle.standardOutput.write(Data(response.body))
        if response.status >= 400 { throw ExitCode(Exit.httpError) }
    }

    static func exitCode(_ error: L402ClientError) -> Int32 {
        switch error {
        case .overBudget: Exit.overBudget
        case .paymentFailed, .paymentInFlight: Exit.paymentFailed
        case .noWallet: Exit.noWallet
        case _ where error.isChallengeRefusal: Exit.challengeRefused
        default: 1
        }
    }

    /// One line per event on stderr; never a preimage. `wallet` names the wallet that pays.
    static func tell(_ event: L402ClientEvent, wallet: String? = nil) {
        let line: String
        switch event {
        case .usingCachedToken(let id, let scope, let left):
            line = "using cached token \(id) for \(scope)\(left.map { " (calls left after this one: \($0))" } ?? "")"
        case .cachedTokenRefused(let id, let status):
            line = "the server refused cached token \(id) (HTTP \(status)): dropped, paying afresh"
        case .challengeAccepted(let sats, let tool, let scope, let calls, let expiresAt):
            line = "402: \(sats) sats for \(tool.map { "tool \($0)" } ?? scope)"
                + (calls.map { ", \($0) call\($0 == 1 ? "" : "s")" } ?? "")
                + (expiresAt.map { ", valid until \($0.formatted(.iso8601))" } ?? "") + "; challenge checked, paying"
        case .paid(let payment) where payment.recovered:
            line = "recovered the payment of \(payment.amountSats) sats an interrupted run made (payment hash \(payment.paymentHash.prefix(16))…): nothing paid now"
        case .paid(let payment):
            line = "paid \(payment.amountSats) sats\(wallet.map { " with \($0)" } ?? "") for \(payment.scheme) (payment hash \(payment.paymentHash.prefix(16))…)\(payment.resumed ? ", resuming an interrupted payment" : "")"
        case .pendingDropped(let id, let reason):
            line = "dropped unfinished payment \(id): \(reason)"
        case .schemeChosen(let chosen, let offered):
            line = "402 offers \(offered.joined(separator: ", ")): paying with \(chosen)"
        case .receiptReceived(let receipt):
            line = "Payment-Receipt: \(receipt.status) at \(receipt.timestamp), reference \(receipt.reference.prefix(16))…"
        }
        FileHandle.standardError.write(Data("* \(line)\n".utf8))
    }
}

extension SchemePreference: ExpressibleByArgument {}
