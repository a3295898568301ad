import Bolt11
import ByteEncoding
import Foundation

/// Builds the `Payment` challenge for an invoice the server just created: reads the invoice
/// (amount, payment hash, network, expiry) so the request object cannot disagree with it, and
/// binds the id. The server side of the scheme is this, `PaymentVerifier`, a
/// `PaymentChallengeStore` and `PaymentReceipt`.
public struct PaymentChallengeIssuer: Sendable {
    /// Computes each challenge's `id`.
    public let binding: ChallengeBinding
    /// The `realm` of every challenge issued.
    public let realm: String

    /// An issuer binding its challenges with `binding`, for `realm`.
    public init(binding: ChallengeBinding, realm: String) {
        self.binding = binding
        self.realm = realm
    }

    /// The challenge for `invoice` (BOLT-11 with an amount in whole sats). `expires` is
    /// `expiresAt` or the invoice's expiry, whichever is earlier (the draft forbids later);
    /// `requestBody`, when the request has one, is bound as the `digest`.
    public func challenge(
        invoice: String, description: String? = nil, expiresAt: Date? = nil, requestBody: [UInt8]? = nil
    ) throws(PaymentIssueError) -> PaymentChallenge {
        let decoded: Invoice
        do { decoded = try Invoice.decode(invoice) } catch { throw .invalidInvoice("\(error)") }
        guard let msat = decoded.amountMsat else { throw .amountlessInvoice }
        guard msat % 1000 == 0, msat > 0 else { throw .fractionalAmount(msat: msat) }
        // The draft names mainnet, regtest and signet only, and an absent network means mainnet.
        guard let network = LightningChargeRequest.Network(decoded.network) else { throw .unsupportedNetwork("\(decoded.network)") }
        let invoiceExpiry = Date(timeIntervalSince1970: TimeInterval(decoded.expiresAt))
        let request = LightningChargeRequest(
            amountSats: msat / 1000, description: description, invoice: invoice, paymentHash: decoded.paymentHash,
            network: network)
        var challenge = PaymentChallenge(
            id: "", realm: realm, method: PaymentChallenge.lightning, intent: PaymentChallenge.charge,
            request: request.encoded, expires: PaymentTime.format(min(expiresAt ?? invoiceExpiry, invoiceExpiry)),
            digest: requestBody.flatMap { $0.isEmpty ? nil : ContentDigest.sha256($0) })
        challenge.id = binding.id(for: challenge)
        return challenge
    }
}

/// Why an invoice cannot be offered as a Lightning `charge`.
public enum PaymentIssueError: Error, Equatable, CustomStringConvertible {
    /// The invoice does not decode.
    case invalidInvoice(String)
    /// The invoice names no amount.
    case amountlessInvoice
    /// The amount is not a whole number of sats.
    case fractionalAmount(msat: UInt64)
    /// The invoice's network cannot be named in a Lightning charge.
    case unsupportedNetwork(String)

    public var description: String {
        switch self {
        case .invalidInvoice(let detail): "the invoice does not decode: \(detail)"
        case .amountlessInvoice: "the invoice has no amount"
        case .fractionalAmount(let msat): "the invoice asks \(msat) msat, not a positive whole number of sats"
        case .unsupportedNetwork(let network): "the invoice is for \(network), which the Lightning charge draft cannot name (offer L402 only)"
        }
    }
}

extension LightningChargeRequest.Network {
    /// The draft's name for a BOLT-11 network; nil for testnet, which the draft does not name.
    public init?(_ network: Bolt11.Network) {
        switch network {
        case .bitcoin: self = .mainnet
        case .regtest: self = .regtest
        case .signet: self = .signet
        case .testnet: return nil
        }
    }

    /// The BOLT-11 network this name means.
    public var bolt11Network: Bolt11.Network {
        switch self {
        case .mainnet: .bitcoin
        case .regtest: .regtest
        case .signet: .signet
        }
    }
}
