import Foundation
import HTTPTypes
import L402

extension Paywall {
    /// A 402 with the offers (`WWW-Authenticate`: LSAT first, then L402) and the challenge as JSON,
    /// or a 429 when this client has been issued too many invoices lately, or a 503 when no invoice
    /// could be issued.
    func challenge(
        pricing: Pricing, priceSats: UInt64, because reason: (code: String, message: String)?, client: String?
    ) async -> PaywallResponse {
        if case .limited(let wait) = challengeLimiter.admit(client ?? "-", now: now()) {
            var response = PaywallResponse.error(
                status: .tooManyRequests, code: "rate_limited",
                message: "too many payment challenges for this client address; retry in \(wait) s",
                headers: [.retryAfter: "\(wait)"], outcome: .rateLimited)
            response.reason = "rate_limited"
            return response
        }
        let minted: MintedChallenge
        do {
            minted = try await minter.mint(
                tool: pricing.tool, priceSats: priceSats, calls: pricing.calls, validForSeconds: pricing.validForSeconds,
                memo: pricing.invoiceMemo, restrictions: pricing.caveats)
        } catch {
            logger.error("could not issue a challenge", metadata: ["tool": "\(pricing.tool)", "error": "\(error)"])
            if error is DatabaseUnavailable { return .databaseUnavailable() }
            return .error(
                status: .serviceUnavailable, code: "lightning_unavailable",
                message: "the gateway could not issue an invoice right now; retry shortly", outcome: .unavailable)
        }
        metrics.invoiceIssued(tool: pricing.tool)
        var headers = HTTPFields()
        for value in minted.headerValues { headers.append(HTTPField(name: .wwwAuthenticate, value: value)) }
        var body = minted.jsonBody
        body.error = reason?.code
        body.message = reason?.message
        return .json(
            status: .init(code: 402, reasonPhrase: "Payment Required"), body, headers: headers, outcome: .challenged,
            reason: reason?.code)
    }

    /// 401 with the reason for a credential that does not hold; 402 with a fresh challenge when it is used up.
    func refusal(_ failure: AuthenticationFailure, pricing: Pricing, priceSats: UInt64, client: String?) async -> PaywallResponse {
        if failure == .spent {
            return await challenge(pricing: pricing, priceSats: priceSats, because: (failure.code, "\(failure)"), client: client)
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
