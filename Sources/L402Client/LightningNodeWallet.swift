import Lightning

/// Pays through a `LightningNode` of the Lightning module: `LNDNode` for a real LND (REST),
/// or any other node implementation.
public struct LightningNodeWallet: Wallet {
    public let node: any LightningNode
    /// The most this wallet lets the node spend on routing fees per payment.
    public let feeLimitSats: UInt64

    public init(node: any LightningNode, feeLimitSats: UInt64 = 10) {
        self.node = node
        self.feeLimitSats = feeLimitSats
    }

    public func pay(invoice: String) async throws -> [UInt8] {
        do {
            return try await node.pay(paymentRequest: invoice, feeLimitSats: feeLimitSats).preimage
        } catch let error as LightningError {
            switch error {
            case .unreachable(let detail): throw WalletError.unreachable(detail)
            default: throw WalletError.failed(error.description)
            }
        }
    }
}
