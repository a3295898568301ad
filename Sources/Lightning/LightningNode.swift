import Bolt11
import Foundation

/// A Lightning node the gateway and the agent client talk to: it issues invoices, reports
/// whether they were paid, and pays invoices of others.
///
/// Implementations: `DevNode` here (embedded, the default, moves no real money), and in the
/// LightningBackends module `LNDNode`, `PhoenixdNode`, `CLNNode` and `LNbitsNode` (docs/lightning.md).
public protocol LightningNode: Sendable {
    /// Issues an invoice for `amountSats` with `memo` as its description, valid for `expirySeconds`.
    func createInvoice(amountSats: UInt64, memo: String, expirySeconds: Int) async throws -> CreatedInvoice
    /// The state of an invoice this node issued, by its 32-byte payment hash.
    /// Throws `LightningError.invoiceNotFound` when the node does not know it.
    func invoiceState(paymentHash: [UInt8]) async throws -> InvoiceState
    /// Pays a BOLT-11 invoice, spending at most `feeLimitSats` on routing fees, and returns its preimage.
    func pay(paymentRequest: String, feeLimitSats: UInt64) async throws -> PaymentResult
    /// What became of this node's payment of `paymentHash` (32 bytes): `.unknown` when it never
    /// tried to pay it. Pays nothing; how a payer that lost a payment's outcome finds its preimage.
    func paymentStatus(paymentHash: [UInt8]) async throws -> PaymentStatus
    /// Who the node is: public key, alias, network.
    func info() async throws -> NodeInfo
}

/// An invoice just issued by a node.
public struct CreatedInvoice: Sendable, Equatable {
    /// The BOLT-11 string to hand to the payer.
    public var paymentRequest: String
    /// SHA-256 of the preimage, 32 bytes.
    public var paymentHash: [UInt8]
    /// When the invoice stops being payable.
    public var expiresAt: Date

    /// An invoice with this BOLT-11 text, payment hash and expiry.
    public init(paymentRequest: String, paymentHash: [UInt8], expiresAt: Date) {
        self.paymentRequest = paymentRequest
        self.paymentHash = paymentHash
        self.expiresAt = expiresAt
    }
}

/// Where an issued invoice stands.
public enum InvoiceState: String, Sendable, Equatable, CaseIterable {
    /// Payable: not paid, not expired.
    case open
    /// Paid; the preimage has been revealed to the payer.
    case settled
    /// Not paid before its expiry.
    case expired
    /// Cancelled by the node (LND's CANCELED state).
    case cancelled
}

/// The proof of a successful payment.
public struct PaymentResult: Sendable, Equatable {
    /// The payment hash of the paid invoice, 32 bytes.
    public var paymentHash: [UInt8]
    /// The preimage revealed by the payee: `SHA256(preimage) == paymentHash`.
    public var preimage: [UInt8]
    /// Routing fees paid, in millisatoshis.
    public var feeMsat: UInt64

    /// A payment's hash, preimage and fee.
    public init(paymentHash: [UInt8], preimage: [UInt8], feeMsat: UInt64) {
        self.paymentHash = paymentHash
        self.preimage = preimage
        self.feeMsat = feeMsat
    }
}

/// Identity of a node.
public struct NodeInfo: Sendable, Equatable {
    /// 33-byte compressed secp256k1 public key.
    public var publicKey: [UInt8]
    /// Human-readable alias (may be empty).
    public var alias: String
    /// The chain the node runs on: the network of the invoices it issues and can pay.
    public var network: Network

    /// A node's key, alias and network.
    public init(publicKey: [UInt8], alias: String, network: Network) {
        self.publicKey = publicKey
        self.alias = alias
        self.network = network
    }
}
