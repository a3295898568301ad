/// Something that pays BOLT-11 invoices for the client and hands back the preimage.
///
/// One method, so a new backend (phoenixd's HTTP API, Nostr Wallet Connect, …) is one new type.
/// Shipped: `DevWallet` (a gateway's dev node) and `LightningNodeWallet` (any `LightningNode`,
/// e.g. LND through the Lightning module's `LNDNode`).
public protocol Wallet: Sendable {
    /// Pays `invoice` and returns its 32-byte preimage. Throws `WalletError` when nothing was paid
    /// or the outcome is unknown. Paying an invoice that this wallet already paid must not pay
    /// twice (Lightning refuses it anyway); a wallet that can return the earlier preimage should.
    func pay(invoice: String) async throws -> [UInt8]
}

/// Why a wallet could not pay.
public enum WalletError: Error, Equatable, CustomStringConvertible {
    /// The wallet or its node could not be reached.
    case unreachable(String)
    /// The wallet refused the payment or the payment failed (no route, no balance, rejected, …).
    case failed(String)
    /// The wallet answered something we cannot read.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .unreachable(let detail): "wallet unreachable: \(detail)"
        case .failed(let detail): "payment failed: \(detail)"
        case .malformedResponse(let detail): "wallet answered something unreadable: \(detail)"
        }
    }
}
