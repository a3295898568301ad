
/// Pays through a `LightningNode`: `LNDNode`, `PhoenixdNode`, `CLNNode` or `LNbitsNode` (with its
/// admin key) from the LightningBackends module, or any other node implementation.
public struct LightningNodeWallet: Wallet {
    /// The node that pays.
    public let node: any LightningNode
    /// The most this wallet lets the node spend on routing fees per payment.
    public let feeLimitSats: UInt64

    /// A wallet paying from `node`, with at most `feeLimitSats` routing fee per payment.
    public init(node: any LightningNode, feeLimitSats: UInt64 = 10) {
        self.node = node
        self.feeLimitSats = feeLimitSats
    }

    public func pay(invoice: String) async throws -> [UInt8] {
        do {
            return try await node.pay(paymentRequest: invoice, feeLimitSats: feeLimitSats).preimage
        } catch let error as LightningError {
            throw Self.walletError(error)
        }
    }

    /// The node's own record of the payment (`LightningNode.paymentStatus`), by payment hash.
    public func pastPayment(paymentHash: [UInt8]) async throws -> PastPayment {
        let status: PaymentStatus
        do {
            status = try await node.paymentStatus(paymentHash: paymentHash)
        } catch let error as LightningError {
            throw Self.walletError(error)
        }
        switch status {
        case .unknown: return .notFound
        case .inFlight: return .inFlight
        case .failed(let reason): return .failed(reason.description)
        case .succeeded(let result): return .paid(preimage: result.preimage)
        }
    }

    /// Whether the payment may have gone out decides the case: only `.failed` means nothing was paid.
    static func walletError(_ error: LightningError) -> WalletError {
        switch error {
        case .unreachable(let detail): .unreachable(detail)
        case .malformedResponse(let detail): .malformedResponse(detail)
        case .alreadyPaid: .alreadyPaid
        case .paymentInFlight: .inFlight
        default: .failed(error.description)
        }
    }
}
