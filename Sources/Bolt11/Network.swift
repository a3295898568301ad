/// The Bitcoin network an invoice is payable on; the raw value is its BOLT-11 currency prefix.
public enum Network: String, Sendable, CaseIterable, Codable {
    /// Bitcoin mainnet (`lnbc`).
    case bitcoin = "bc"
    /// Testnet (`lntb`).
    case testnet = "tb"
    /// Signet (`lntbs`).
    case signet = "tbs"
    /// Regtest (`lnbcrt`).
    case regtest = "bcrt"

    /// The invoice's human-readable prefix without amount: `lnbc`, `lntb`, `lntbs`, `lnbcrt`.
    public var invoicePrefix: String { "ln" + rawValue }

    /// A network from its currency prefix (`bcrt`) or its name (`regtest`).
    public init?(prefixOrName: String) {
        let text = prefixOrName.lowercased()
        if let network = Network(rawValue: text) {
            self = network
        } else if let network = Network.allCases.first(where: { "\($0)" == text }) {
            self = network
        } else {
            return nil
        }
    }

    /// Version byte of base58 pay-to-pubkey-hash addresses.
    var p2pkhVersion: UInt8 { self == .bitcoin ? 0x00 : 0x6f }
    /// Version byte of base58 pay-to-script-hash addresses.
    var p2shVersion: UInt8 { self == .bitcoin ? 0x05 : 0xc4 }
    /// Human-readable part of segwit addresses.
    var segwitPrefix: String {
        switch self {
        case .bitcoin: "bc"
        case .testnet, .signet: "tb"
        case .regtest: "bcrt"
        }
    }
}
