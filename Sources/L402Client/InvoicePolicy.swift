import Bolt11
import ByteEncoding

/// What the client requires of every invoice it pays, whichever scheme offers it: the network it
/// runs on and, when pinned, the node that must be paid.
public struct InvoicePolicy: Sendable, Equatable {
    /// The only network paid (nil: any).
    public var network: Network?
    /// The only payee paid, a 33-byte node public key (nil: any).
    public var payee: [UInt8]?

    /// Accept only invoices of `network` and, when given, payable to `payee` (33 bytes); nil accepts any.
    public init(network: Network? = nil, payee: [UInt8]? = nil) {
        self.network = network
        self.payee = payee
    }

    /// Throws when `invoice` is for another network or payee.
    func check(_ invoice: Invoice) throws(L402ClientError) {
        if let network, invoice.network != network {
            throw .wrongNetwork(invoice: "\(invoice.network)", expected: "\(network)")
        }
        if let payee, invoice.payee != payee {
            throw .unexpectedPayee(invoice.payee.map { Hex.encode($0) } ?? "unknown")
        }
    }
}

extension ChallengeCheck {
    /// An invoice amount in whole sats, rounded up (what paying it costs at most).
    static func satsRoundedUp(msat: UInt64) -> UInt64 {
        msat / 1000 + (msat % 1000 == 0 ? 0 : 1)
    }
}
