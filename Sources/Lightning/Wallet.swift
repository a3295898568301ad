/// Something that pays BOLT-11 invoices for the client and hands back the preimage.
///
/// Two methods, so a new backend (Nostr Wallet Connect's `pay_invoice` and `lookup_invoice`, …) is
/// one new type. Shipped: `DevWallet` (a gateway's dev node) and `LightningNodeWallet` (any
/// `LightningNode` that pays: LND, phoenixd, Core Lightning or LNbits through the LightningBackends module).
public protocol Wallet: Sendable {
    /// Pays `invoice` and returns its 32-byte preimage. Throws `WalletError` when nothing was paid
    /// or the outcome is unknown. Must never pay the same payment hash twice: paying an invoice this
    /// wallet already paid returns the earlier preimage or throws `WalletError.alreadyPaid`.
    func pay(invoice: String) async throws -> [UInt8]

    /// What became of this wallet's payment of `paymentHash` (32 bytes), paying nothing. The client
    /// asks before resuming a payment an interrupted run left unfinished, and after a `pay` that
    /// failed without saying that nothing was paid: a `.paid` answer is used instead of paying again.
    func pastPayment(paymentHash: [UInt8]) async throws -> PastPayment
}

/// What a wallet knows of a payment it made or tried to make, by payment hash.
public enum PastPayment: Sendable, Equatable {
    /// The wallet has no payment of this hash: paying it is safe.
    case notFound
    /// Sent and not finished: paying again could pay twice, so wait for the outcome.
    case inFlight
    /// Failed for good (why): nothing was paid, paying again is safe.
    case failed(String)
    /// Paid: the 32-byte preimage is the proof of payment.
    case paid(preimage: [UInt8])
}

/// Why a wallet could not pay.
public enum WalletError: Error, Equatable, CustomStringConvertible {
    /// The wallet or its node could not be reached.
    case unreachable(String)
    /// The wallet refused the payment or the payment failed (no route, no balance, rejected, …): nothing was paid.
    case failed(String)
    /// The invoice is already paid; `pastPayment` tells whether by this wallet (and its preimage).
    case alreadyPaid
    /// A payment of this invoice is already on its way: paying again could pay twice.
    case inFlight
    /// The wallet answered something we cannot read.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .unreachable(let detail): "wallet unreachable: \(detail)"
        case .failed(let detail): "payment failed: \(detail)"
        case .alreadyPaid: "the invoice is already paid"
        case .inFlight: "a payment of this invoice is already in flight"
        case .malformedResponse(let detail): "wallet answered something unreadable: \(detail)"
        }
    }
}
