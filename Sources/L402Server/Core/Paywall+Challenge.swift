import ByteEncoding
import Foundation
import HTTPTypes
import L402

extension Paywall {
    /// The offers of one 402: those of the schemes the tool takes that the client accepts
    /// (`Accept-Payment`), each with its own invoice.
    struct Offers {
        var l402: MintedChallenge?
        var payment: PaymentCharges.Offer?

        /// `WWW-Authenticate` LSAT, L402, then Payment (some clients read only the first), and
        /// `Cache-Control: no-store`, which every 402 carries.
        var headers: HTTPFields {
            var fields: HTTPFields = [.cacheControl: "no-store"]
            let values = (l402?.headerValues ?? []) + (payment.map { [$0.challenge.headerValue] } ?? [])
            for value in values { fields.append(HTTPField(name: .wwwAuthenticate, value: value)) }
            return fields
        }
    }

    /// What minting offers came to: the offers, or the paywall's own answer (429, 503) instead.
    enum Minted {
        case offers(Offers)
        case answered(PaywallResponse)
    }

    /// A 402 with the offers and the challenge as JSON, or a 429 when this client has been issued
    /// too many invoices lately, or a 503 when no invoice could be issued.
    func challenge(
        pricing: Pricing, priceSats: UInt64, because reason: (code: String, message: String)?, request: PaywallRequest
    ) async -> PaywallResponse {
        let offers: Offers
        switch await self.offers(pricing: pricing, priceSats: priceSats, request: request) {
        case .answered(let response): return response
        case .offers(let minted): offers = minted
        }
        let body = ChallengeResponseBody(
            l402: offers.l402?.jsonBody, payment: offers.payment.map(Self.body), tool: pricing.tool, amountSats: priceSats,
            error: reason?.code, message: reason?.message)
        return .json(
            status: .init(code: 402, reasonPhrase: "Payment Required"), body, headers: offers.headers, outcome: .challenged,
            reason: reason?.code)
    }

    /// A refused `Payment` credential: 402 with fresh offers and the draft's problem body, or 400 for
    /// a method this server does not implement. Never 401.
    func paymentRefusal(_ failure: PaymentVerificationFailure, pricing: Pricing, priceSats: UInt64, request: PaywallRequest) async -> PaywallResponse {
        guard failure.kind != .methodUnsupported else {
            return .problem(failure.problem(), headers: [.cacheControl: "no-store"])
        }
        switch await offers(pricing: pricing, priceSats: priceSats, request: request) {
        case .answered(let response):
            return response
        case .offers(let offers):
            return .problem(failure.problem(challengeID: offers.payment?.challenge.id), headers: offers.headers)
        }
    }

    /// Mints the offers for `request`: each scheme the tool takes and the client accepts, behind the
    /// challenge rate limit. A `Payment` offer that cannot be made (a testnet invoice, which the
    /// draft cannot name, or a failure of its own invoice) is left out when there is an L402 offer.
    func offers(pricing: Pricing, priceSats: UInt64, request: PaywallRequest) async -> Minted {
        if case .limited(let wait) = challengeLimiter.admit(request.accountKey ?? "-", now: now()) {
            var response = PaywallResponse.error(
                status: .tooManyRequests, code: "rate_limited",
                message: "too many payment challenges for this client address; retry in \(wait) s",
                headers: [.retryAfter: "\(wait)"], outcome: .rateLimited)
            response.reason = "rate_limited"
            return .answered(response)
        }
        let accepted = AcceptPayment.offers(pricing.schemes.map(\.acceptPaymentOffer), header: request.headers[.acceptPayment])
        var offers = Offers()
        do {
            if accepted.contains(.l402) {
                offers.l402 = try await minter.mint(
                    tool: pricing.tool, priceSats: priceSats, calls: pricing.calls, validForSeconds: pricing.validForSeconds,
                    memo: pricing.invoiceMemo, restrictions: pricing.caveats)
                metrics.invoiceIssued(tool: pricing.tool)
            }
            if accepted.contains(.lightningCharge) {
                do {
                    offers.payment = try await charges.offer(pricing: pricing, priceSats: priceSats, requestBody: request.body)
                    metrics.invoiceIssued(tool: pricing.tool)
                } catch where offers.l402 != nil {
                    // A testnet invoice (the draft cannot name it), or the second invoice failed: the L402 offer stands alone.
                    logger.warning("offering L402 only", metadata: ["tool": "\(pricing.tool)", "reason": "\(error)"])
                }
            }
        } catch {
            logger.error("could not issue a challenge", metadata: ["tool": "\(pricing.tool)", "error": "\(error)"])
            if error is DatabaseUnavailable { return .answered(.databaseUnavailable()) }
            return .answered(.error(
                status: .serviceUnavailable, code: "lightning_unavailable",
                message: "the gateway could not issue an invoice right now; retry shortly", outcome: .unavailable))
        }
        return .offers(offers)
    }

    private static func body(_ offer: PaymentCharges.Offer) -> ChallengeResponseBody.PaymentOfferBody {
        ChallengeResponseBody.PaymentOfferBody(
            challenge: Dictionary(offer.challenge.parameters, uniquingKeysWith: { first, _ in first }),
            invoice: offer.invoice.paymentRequest, paymentHash: Hex.encode(offer.invoice.paymentHash), amountSats: offer.amountSats)
    }

    /// 401 with the reason for a credential that does not hold; 402 with a fresh challenge when it is used up.
    func refusal(_ failure: AuthenticationFailure, pricing: Pricing, priceSats: UInt64, request: PaywallRequest) async -> PaywallResponse {
        if failure == .spent {
            return await challenge(pricing: pricing, priceSats: priceSats, because: (failure.code, "\(failure)"), request: request)
        }
        if case .storeUnavailable(let reason) = failure {
            // The Authenticator's stores are the paywall's database.
            logger.error("could not check a credential", metadata: ["tool": "\(pricing.tool)", "error": "\(reason)"])
            return .databaseUnavailable()
        }
        let status = failure.httpStatus
        return .error(
            status: .init(code: status), code: failure.code, message: "\(failure)", outcome: status == 503 ? .unavailable : .refused)
    }
}
