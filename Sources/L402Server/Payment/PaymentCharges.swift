import Foundation
import L402
import Lightning
import Synchronization

/// The `Payment` scheme's Lightning `charge`, metered on the L402 token machinery: each challenge's
/// invoice gets a one-call "token" row, named by the invoice's payment hash, stored with what was
/// sold (`Purchase(calls: 1)` at the request's price). A verified credential leases that one call,
/// so leases, exactly-once commits across gateways, crash give-back and the deferred ledger hold for
/// `Payment` exactly as for L402, and an upstream failure gives the call back (the same credential
/// may be retried). A refused credential never reaches the store, so it cannot use up a challenge.
struct PaymentCharges: Sendable {
    let node: any LightningNode
    let secrets: any SecretStore
    let usage: any TokenUsageStore
    /// The `realm` of every challenge (the paywall's `location`).
    let realm: String
    let invoiceExpirySeconds: Int
    /// How long an unpaid charge's row outlives its invoice, as for L402 tokens.
    let paymentGraceSeconds: Int = 3600
    let bindingKey: BindingKey

    /// A charge issued for a 402.
    struct Offer: Sendable {
        /// The `WWW-Authenticate: Payment …` challenge.
        var challenge: PaymentChallenge
        /// Its invoice.
        var invoice: CreatedInvoice
        /// Its price.
        var amountSats: UInt64
    }

    /// A credential that verified, with its one call leased.
    struct Redeemed: Sendable {
        var payment: VerifiedPayment
        var call: PaidCall
    }

    /// A charge's token id: its payment hash, so the ledger's token id is the receipt's `reference`.
    /// (No L402 macaroon can name it: its root key is random and never leaves the database.)
    static func tokenID(paymentHash: [UInt8]) throws -> TokenID { try TokenID(bytes: paymentHash) }

    /// Issues a charge of `priceSats` for `pricing`'s tool: an invoice of its own, its challenge
    /// (`requestBody` bound as `digest`), and the one-call row. Throws the node's, the issuer's or the store's error.
    func offer(pricing: Pricing, priceSats: UInt64, requestBody: [UInt8]?) async throws -> Offer {
        let invoice = try await node.createInvoice(amountSats: priceSats, memo: pricing.invoiceMemo, expirySeconds: invoiceExpirySeconds)
        let issuer = PaymentChallengeIssuer(binding: try await bindingKey.binding(), realm: realm)
        let challenge = try issuer.challenge(invoice: invoice.paymentRequest, description: pricing.memo, requestBody: requestBody)
        // Kept a grace period past the invoice's expiry, paid or not: the verifier refuses the
        // credential after `expires` anyway, and a call leased just before must still find its row to commit.
        let keptUntil = invoice.expiresAt.addingTimeInterval(TimeInterval(paymentGraceSeconds))
        try await secrets.storeRootKey(
            ChallengeBinding.randomSecret(), for: try Self.tokenID(paymentHash: invoice.paymentHash),
            purchase: Purchase(tool: pricing.tool, amountSats: priceSats, calls: 1), unpaidExpiresAt: keptUntil,
            paidExpiresAt: keptUntil)
        return Offer(challenge: challenge, invoice: invoice, amountSats: priceSats)
    }

    /// Verifies `authorization` for a request to `pricing`'s tool costing `priceSats` and leases the
    /// charge's call. Throws `PaymentVerificationFailure` for a credential to refuse (nothing was
    /// stored), any other error when the database could not be asked.
    func redeem(
        authorization: String, requestBody: [UInt8]?, pricing: Pricing, priceSats: UInt64, now: Date
    ) async throws -> Redeemed {
        let verifier = PaymentVerifier(binding: try await bindingKey.binding(), realm: realm)
        let payment = try verifier.verify(authorization: authorization, requestBody: requestBody, now: now)
        let tokenID = try Self.tokenID(paymentHash: payment.paymentHash)
        guard let secret = try await secrets.secret(for: tokenID), let purchase = secret.purchase else {
            throw PaymentVerificationFailure.invalidChallenge("this server holds no charge for the challenge (revoked or collected)")
        }
        guard purchase.tool == pricing.tool else {
            throw PaymentVerificationFailure.invalidChallenge("the challenge was issued for another tool")
        }
        guard purchase.amountSats >= priceSats else {
            throw PaymentVerificationFailure.invalidChallenge(
                "this request costs \(priceSats) sats; the challenge charged \(purchase.amountSats)")
        }
        if !secret.isPaid { try await secrets.markPaid(tokenID) }
        guard let lease = try await usage.reserveCall(for: tokenID, limit: 1, takenAt: now) else {
            throw PaymentVerificationFailure.invalidChallenge("the challenge was already used")
        }
        let token = VerifiedToken(
            id: tokenID, paymentHash: payment.paymentHash, caveats: [], amountSats: purchase.amountSats, callsLimit: 1,
            callsUsed: lease.callsUsed, expiresAt: payment.expiresAt)
        return Redeemed(payment: payment, call: PaidCall(lease: lease, purchase: purchase, token: token, scheme: .payment))
    }
}

/// The challenge-binding key, fetched once from where every gateway of the database agrees on it,
/// then kept. Concurrent first callers may both fetch; the store gives them the same bytes.
final class BindingKey: Sendable {
    private let fetch: @Sendable () async throws -> [UInt8]
    private let cached = Mutex<ChallengeBinding?>(nil)

    /// A key read with `fetch` on first use.
    init(fetch: @escaping @Sendable () async throws -> [UInt8]) {
        self.fetch = fetch
    }

    /// The binding, fetching the secret the first time (and again after a failed fetch).
    func binding() async throws -> ChallengeBinding {
        if let binding = cached.withLock({ $0 }) { return binding }
        let binding = ChallengeBinding(secret: try await fetch())
        cached.withLock { $0 = binding }
        return binding
    }
}
