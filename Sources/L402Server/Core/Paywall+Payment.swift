import Foundation
import HTTPTypes
import L402

extension Paywall {
    /// A request carrying a `Payment` credential: verified and its charge's one call leased, then
    /// authorized with the receipt to add to the answer; or refused with a problem body and fresh
    /// offers. A refused credential never touches the store, so it cannot use up the challenge.
    func decidePayment(_ credential: String, request: PaywallRequest, pricing: Pricing, price: UInt64, mcpTool: String?) async -> PaywallDecision {
        guard pricing.offers(.payment) else {
            let failure = PaymentVerificationFailure.invalidChallenge("\(pricing.tool) does not take the Payment scheme")
            return .refusal(await paymentRefusal(failure, pricing: pricing, priceSats: price, request: request))
        }
        let started = ContinuousClock.now
        let redeemed: PaymentCharges.Redeemed
        do {
            redeemed = try await charges.redeem(
                authorization: credential, requestBody: request.body, pricing: pricing, priceSats: price, now: now())
            metrics.verification(ContinuousClock.now - started)
        } catch let failure as PaymentVerificationFailure {
            metrics.verification(ContinuousClock.now - started)
            return .refusal(await paymentRefusal(failure, pricing: pricing, priceSats: price, request: request))
        } catch {
            logger.error("could not check a Payment credential", metadata: ["tool": "\(pricing.tool)", "error": "\(error)"])
            return .refusal(.databaseUnavailable())
        }
        let receipt = PaymentReceipt(verified: redeemed.payment, now: now())
        let headers: HTTPFields = [.paymentReceipt: receipt.headerValue, .cacheControl: "private"]
        return .authorized(paidReservation(redeemed.call, tool: pricing.tool, mcpTool: mcpTool, responseHeaders: headers))
    }
}
