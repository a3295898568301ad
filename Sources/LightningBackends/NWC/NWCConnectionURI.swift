import ByteEncoding
import Foundation

/// A Nostr Wallet Connect connection string (NIP-47):
/// `nostr+walletconnect://<wallet service pubkey>?relay=<wss://…>&secret=<hex>[&relay=…][&lud16=…]`.
///
/// The secret signs and encrypts the client's requests: `description` never shows it.
public struct NWCConnectionURI: Sendable, CustomStringConvertible {
    /// The wallet service's 32-byte x-only public key (lowercase hex), to whom requests are addressed.
    public let walletPublicKey: String
    /// The relays the wallet service listens on (ws:// or wss://), in the order given.
    public let relays: [String]
    /// The client's key, from the `secret` parameter.
    public let clientKey: NostrSecretKey
    /// The optional lightning address (`lud16`).
    public let lightningAddress: String?

    /// Parses a connection string; throws `NWCURIError` naming what is wrong (never echoing the secret).
    public init(_ text: String) throws(NWCURIError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let schemes = ["nostr+walletconnect://", "nostrwalletconnect://", "nostr+walletconnect:"]
        guard let scheme = schemes.first(where: { trimmed.lowercased().hasPrefix($0) }) else { throw .notNWC }
        let rest = trimmed.dropFirst(scheme.count)
        let pubkey = String(rest.prefix { $0 != "?" && $0 != "/" }).lowercased()
        guard let key = try? Hex.decode(pubkey), key.count == 32, NostrCurve.isValidXOnlyPublicKey(key) else {
            throw .invalidWalletPublicKey
        }
        guard let components = URLComponents(string: "x://h" + rest.drop { $0 != "?" }) else { throw .malformedQuery }
        let items = components.queryItems ?? []
        var relays: [String] = []
        for item in items where item.name == "relay" {
            guard let value = item.value, let url = URL(string: value), ["ws", "wss"].contains(url.scheme?.lowercased()), url.host != nil else {
                throw .invalidRelay(item.value ?? "")
            }
            relays.append(value)
        }
        guard !relays.isEmpty else { throw .missingRelay }
        let secrets = items.filter { $0.name == "secret" }
        guard secrets.count == 1, let secretHex = secrets[0].value else { throw .missingSecret }
        guard let secret = try? Hex.decode(secretHex), secret.count == 32, let clientKey = try? NostrSecretKey(secret: secret) else {
            throw .invalidSecret
        }
        self.walletPublicKey = pubkey
        self.relays = relays
        self.clientKey = clientKey
        self.lightningAddress = items.first { $0.name == "lud16" }?.value
    }

    /// The wallet service's key and relays; never the secret.
    public var description: String {
        "wallet service \(walletPublicKey.prefix(16))… via \(relays.joined(separator: ", "))"
    }
}

/// Why a connection string was refused. No case carries the secret.
public enum NWCURIError: Error, Equatable, CustomStringConvertible {
    /// Not `nostr+walletconnect://…`.
    case notNWC
    /// The wallet service key is not 32 bytes of hex naming a curve point.
    case invalidWalletPublicKey
    /// The query string cannot be read.
    case malformedQuery
    /// No `relay` parameter.
    case missingRelay
    /// A `relay` that is not a ws:// or wss:// URL.
    case invalidRelay(String)
    /// No `secret`, or more than one.
    case missingSecret
    /// A `secret` that is not a valid 32-byte hex key.
    case invalidSecret

    public var description: String {
        switch self {
        case .notNWC: "not a nostr+walletconnect:// connection string"
        case .invalidWalletPublicKey: "the wallet service public key (after nostr+walletconnect://) is not 32 bytes of hex naming a curve point"
        case .malformedQuery: "the connection string's query is malformed"
        case .missingRelay: "the connection string names no relay (relay=wss://…)"
        case .invalidRelay(let relay): "relay is not a ws:// or wss:// URL: \(relay.prefix(200))"
        case .missingSecret: "the connection string needs exactly one secret=<64 hex digits>"
        case .invalidSecret: "the connection string's secret is not a valid 32-byte hex key"
        }
    }
}
