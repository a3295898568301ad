import Bolt11
import ByteEncoding
import Foundation
import L402

/// A `Payment` challenge (Lightning `charge`) that passed every check and may be paid: one call.
public struct PaymentChargeOffer: Sendable {
    /// The challenge, echoed in the credential.
    public var challenge: PaymentChallenge
    /// Its decoded `request`.
    public var request: LightningChargeRequest
    /// The decoded invoice (its signature verified by Bolt11).
    public var invoice: Invoice
    /// The price, equal to the invoice's amount.
    public var amountSats: UInt64
    /// The invoice's payment hash (32 bytes).
    public var paymentHash: [UInt8]
    /// When the credential stops being accepted: the challenge's `expires` or the invoice's expiry, the earlier.
    public var expiresAt: Date
    /// When the invoice stops being payable.
    public var invoiceExpiresAt: Date
}

extension ChallengeCheck {
    /// Checks one `Payment` challenge before paying: `lightning`/`charge`; the request object
    /// reads; the invoice decodes, has an amount, is exactly the request's amount (read from the
    /// invoice itself), for the stated payment hash and network, and passes `policy`; neither the
    /// challenge nor the invoice has expired; a `digest` is that of `requestBody` (otherwise the
    /// server would refuse the credential after the payment).
    public static func chargeOffer(
        _ challenge: PaymentChallenge, requestBody: [UInt8]?, policy: InvoicePolicy = InvoicePolicy(), now: Date = Date()
    ) throws(L402ClientError) -> PaymentChargeOffer {
        guard challenge.method == PaymentChallenge.lightning, challenge.intent == PaymentChallenge.charge else {
            throw .malformedChallenge("Payment challenge \(challenge.method)/\(challenge.intent) is not lightning/charge")
        }
        let request: LightningChargeRequest
        do { request = try LightningChargeRequest(encoded: challenge.request) } catch {
            throw .malformedChallenge("Payment challenge: \(error)")
        }
        let invoice: Invoice
        do { invoice = try Invoice.decode(request.invoice) } catch { throw .invalidInvoice("\(error)") }
        try policy.check(invoice)
        guard let amountMsat = invoice.amountMsat else { throw .amountlessInvoice }
        let invoiceSats = satsRoundedUp(msat: amountMsat)
        let (requestMsat, overflow) = request.amountSats.multipliedReportingOverflow(by: 1000)
        guard !overflow, requestMsat == amountMsat else {
            throw .amountMismatch(invoiceSats: invoiceSats, challengeSats: request.amountSats)
        }
        if let stated = request.paymentHash, stated != invoice.paymentHash { throw .paymentHashMismatch }
        let network = request.network ?? .mainnet  // the draft's default
        guard network.bolt11Network == invoice.network else {
            throw .wrongNetwork(invoice: "\(invoice.network)", expected: "\(network.bolt11Network) (the challenge's network)")
        }
        let invoiceExpiresAt = Date(timeIntervalSince1970: TimeInterval(invoice.expiresAt))
        var expiresAt = invoiceExpiresAt
        if let text = challenge.expires {
            guard let expires = PaymentTime.parse(text) else { throw .malformedChallenge("Payment challenge expires \(text.debugDescription) is not RFC 3339") }
            expiresAt = min(expires, expiresAt)
        }
        guard expiresAt > now else { throw .expired("the Payment challenge expired at \(PaymentTime.format(expiresAt))") }
        if let digest = challenge.digest, !ContentDigest.matches(digest, body: requestBody ?? []) {
            throw .malformedChallenge("the Payment challenge's digest is not that of this request's body")
        }
        return PaymentChargeOffer(
            challenge: challenge, request: request, invoice: invoice, amountSats: request.amountSats,
            paymentHash: invoice.paymentHash, expiresAt: expiresAt, invoiceExpiresAt: invoiceExpiresAt)
    }
}
