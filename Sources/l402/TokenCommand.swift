import ArgumentParser
import Foundation
import L402Client

/// `l402 token …`: the agent's token cache (what `l402 fetch` bought), and delegation.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "List, inspect, attenuate, export and remove cached L402 tokens.",
        discussion: """
            Tokens are named by the first characters (at least 4) of their token id or payment hash, as `list` shows.
            Delegation: `attenuate` adds restrictions (caveats) and prints `<macaroon>:<preimage>` for a sub-agent,
            which uses it with `l402 fetch --credential …` and no wallet.
            """,
        subcommands: [List.self, Show.self, Attenuate.self, Export.self, Remove.self]
    )

    struct CacheOptions: ParsableArguments {
        @Option(name: .customLong("token-dir"), help: "Token cache directory (default $L402_TOKEN_DIR or ~/.l402/tokens).")
        var tokenDir: String?

        func cache() throws -> TokenCache { try TokenCache(directory: tokenDir ?? TokenCache.defaultDirectory) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One line per cached token: id, scheme (L402 or Payment), state, scope, price, calls, expiry, and a Payment token's receipt.")
        @OptionGroup var options: CacheOptions

        func run() async throws {
            let now = Date()
            for token in try await options.cache().allTokens() {
                let state = token.isPending ? "pending" : token.isUsable(at: now) ? "usable" : "used-up"
                let calls = token.callsLimit.map { "\(token.callsLeft ?? 0)/\($0) calls" } ?? "unlimited calls"
                let expiry = token.expiresAt.map { "until \($0.formatted(.iso8601))" } ?? "no expiry"
                let receipt = token.receipt.map { "  receipt \($0.status) \($0.timestamp) ref \($0.reference.prefix(12))" } ?? ""
                print("\(token.shortID)  \(token.scheme)  \(state)  \(token.origin)\(token.scope)  \(token.amountSats) sats  \(calls)  \(expiry)\(receipt)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A token's details as JSON (without its preimage).")
        @OptionGroup var options: CacheOptions
        @Argument(help: "Token id or payment hash prefix.") var id: String

        func run() async throws {
            var token = try await options.cache().token(matching: id)
            token.preimage = token.preimage == nil ? nil : "(hidden; `l402 token export` prints the credential)"
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(token), as: UTF8.self))
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the credential `<macaroon>:<preimage>` (a secret).")
        @OptionGroup var options: CacheOptions
        @Argument(help: "Token id or payment hash prefix.") var id: String

        func run() async throws {
            let token = try await options.cache().token(matching: id)
            guard token.paymentChallenge == nil else { throw ValidationError("token \(id) is a one-call Payment token: it cannot be exported") }
            guard let credential = token.exportedCredential else { throw ValidationError("token \(id) is not paid yet") }
            print(credential)
        }
    }

    struct Attenuate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a restricted copy of a token, `<macaroon>:<preimage>`, for a sub-agent.",
            discussion: "Example: l402 token attenuate 1a2b3c --calls 2 --expires-in 600 --method GET")
        @OptionGroup var options: CacheOptions
        @Argument(help: "Token id or payment hash prefix, or a credential `<macaroon>:<preimage>` to restrict further.")
        var token: String
        @Option(name: .customLong("expires-in"), help: "Seconds from now until the copy expires.") var expiresIn: Int?
        @Option(name: .customLong("expires-at"), help: "Unix time at which the copy expires.") var expiresAt: UInt64?
        @Option(name: .long, help: "Only this tool.") var tool: String?
        @Option(name: .long, help: "At most this many calls (counted by the gateway over every holder).") var calls: Int?
        @Option(name: .long, help: "Only these methods, comma-separated.") var method: String?
        @Option(name: .customLong("path-prefix"), help: "Only paths below this prefix (relative to the tool).") var pathPrefix: String?

        func run() async throws {
            let credential: String
            if token.contains(":") {
                credential = token
            } else {
                guard let exported = try await options.cache().token(matching: token).exportedCredential else {
                    throw ValidationError("token \(token) is not paid yet")
                }
                credential = exported
            }
            let expiry = expiresAt.map { Date(timeIntervalSince1970: TimeInterval($0)) }
                ?? expiresIn.map { Date().addingTimeInterval(TimeInterval($0)) }
            let caveats = DelegationCaveats(
                expiresAt: expiry, tool: tool, calls: calls,
                methods: method.map { $0.split(separator: ",").map(String.init) }, pathPrefix: pathPrefix)
            do {
                print(try Delegation.attenuate(credential: credential, with: caveats))
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a cached token.")
        @OptionGroup var options: CacheOptions
        @Argument(help: "Token id or payment hash prefix.") var id: String

        func run() async throws {
            let cache = try options.cache()
            try await cache.remove(try await cache.token(matching: id))
        }
    }
}
