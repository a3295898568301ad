import Bolt11
import ByteEncoding
import Foundation
import L402
import Macaroons

/// A 402 challenge that passed every check and may be paid: what it costs, what it buys.
public struct PaymentOffer: Sendable {
    /// The macaroon and invoice, as parsed by the L402 module.
    public var challenge: Challenge
    /// The decoded invoice (its signature verified by Bolt11).
    public var invoice: Invoice
    /// The invoice amount in whole satoshis.
    public var amountSats: UInt64
    /// The invoice's payment hash, equal to the one in the macaroon's identifier.
    public var paymentHash: [UInt8]
    /// The token id from the macaroon's L402 identifier.
    public var tokenID: TokenID
    /// The tool the token is for (`tool` caveat, or the body's `tool`).
    public var tool: String?
    /// Calls the token allows (`calls` caveat, smallest if several, else the body's `calls`); nil when unlimited.
    public var calls: Int?
    /// When the token expires (`expires_at` caveat, earliest if several).
    public var tokenExpiresAt: Date?
    /// When the invoice stops being payable.
    public var invoiceExpiresAt: Date
}

/// Checks a 402 before anything is paid: the challenge must parse (the `WWW-Authenticate`
/// headers first, the JSON body as a fallback), the invoice must be a valid BOLT-11 invoice with
/// an amount, not expired, asking exactly the amount the challenge states, for the payment hash
/// in the macaroon's identifier. Any failure is a typed `L402ClientError`; nothing is paid.
public enum ChallengeCheck {
    /// The JSON body of a 402, as the gateway sends it (all fields optional: checked when present).
    struct Body: Decodable {
        var macaroon: String?
        var invoice: String?
        var payment_hash: String?
        var amount_sats: UInt64?
        var tool: String?
        var calls: Int?
    }

    /// Largest 402 body read for a challenge.
    static let maximumBodyBytes = 64 * 1024

    /// The offer in a 402's `WWW-Authenticate` values and body, checked at `now`.
    public static func offer(
        wwwAuthenticate: [String], body: [UInt8], policy: InvoicePolicy = InvoicePolicy(), now: Date = Date()
    ) throws(L402ClientError) -> PaymentOffer {
        let parsedBody = body.count <= maximumBodyBytes ? try? JSONDecoder().decode(Body.self, from: Data(body)) : nil
        let challenge: Challenge
        do {
            challenge = try Challenge.parse(headerValues: wwwAuthenticate)
        } catch let headerError {
            guard let parsedBody, let text = parsedBody.macaroon, let invoice = parsedBody.invoice, !invoice.isEmpty else {
                throw .malformedChallenge("\(headerError), and the body is not a JSON challenge")
            }
            do {
                challenge = Challenge(macaroon: try Macaroon(decoding: text), invoice: invoice)
            } catch {
                throw .malformedChallenge("the body's macaroon does not decode: \(error)")
            }
        }

        let invoice: Invoice
        do {
            invoice = try Invoice.decode(challenge.invoice)
        } catch {
            throw .invalidInvoice("\(error)")
        }
        try policy.check(invoice)
        guard let amountMsat = invoice.amountMsat else { throw .amountlessInvoice }
        let invoiceSats = satsRoundedUp(msat: amountMsat)
        guard invoice.expiresAt > UInt64(max(0, now.timeIntervalSince1970)) else {
            throw .expired("the invoice expired at \(Date(timeIntervalSince1970: TimeInterval(invoice.expiresAt)))")
        }

        let identifier: L402Identifier
        do {
            identifier = try L402Identifier(decoding: challenge.macaroon.identifier)
        } catch {
            throw .malformedChallenge("the macaroon's identifier is not an L402 identifier: \(error)")
        }
        guard identifier.paymentHash == invoice.paymentHash else { throw .paymentHashMismatch }
        if let stated = parsedBody?.payment_hash, stated.lowercased() != Hex.encode(invoice.paymentHash) {
            throw .paymentHashMismatch
        }

        let caveats = challenge.macaroon.caveats.compactMap { $0.predicate }.compactMap { try? L402Caveat(predicate: $0) }
        var statedAmounts: [UInt64] = parsedBody?.amount_sats.map { [$0] } ?? []
        var tool = parsedBody?.tool
        var calls: Int? = parsedBody?.calls
        var tokenExpiry: UInt64?
        for caveat in caveats {
            switch caveat {
            case .amountSats(let sats): statedAmounts.append(sats)
            case .tool(let slug): tool = slug
            case .calls(let n): calls = min(calls ?? n, n)
            case .expiresAt(let seconds): tokenExpiry = min(tokenExpiry ?? seconds, seconds)
            default: break
            }
        }
        // Whole sats only: an invoice of 1.5 sats does not "match" a price of 2.
        for stated in statedAmounts {
            let (statedMsat, overflow) = stated.multipliedReportingOverflow(by: 1000)
            if overflow || statedMsat != amountMsat { throw .amountMismatch(invoiceSats: invoiceSats, challengeSats: stated) }
        }
        let tokenExpiresAt = tokenExpiry.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        if let tokenExpiresAt, tokenExpiresAt <= now {
            throw .expired("the token it buys expired at \(tokenExpiresAt)")
        }
        return PaymentOffer(
            challenge: challenge, invoice: invoice, amountSats: invoiceSats, paymentHash: invoice.paymentHash,
            tokenID: identifier.tokenID, tool: tool, calls: calls, tokenExpiresAt: tokenExpiresAt,
            invoiceExpiresAt: Date(timeIntervalSince1970: TimeInterval(invoice.expiresAt)))
    }
}
