import Foundation
import L402

/// Which scheme the client pays when a 402 offers both L402 and `Payment`.
public enum SchemePreference: String, Sendable, CaseIterable {
    /// L402 when its token buys several calls (so later calls are free), else `Payment`.
    case auto
    /// Prefer the L402 offer.
    case l402
    /// Prefer the `Payment` (Lightning charge) offer.
    case payment
}

/// The offer the client pays.
public enum ChosenOffer: Sendable {
    /// Pay the L402 offer.
    case l402(PaymentOffer)
    /// Pay the `Payment` charge offer.
    case payment(PaymentChargeOffer)

    /// What paying it costs.
    public var amountSats: UInt64 {
        switch self {
        case .l402(let offer): offer.amountSats
        case .payment(let offer): offer.amountSats
        }
    }
}

extension ChallengeCheck {
    /// Reads every offer of a 402 (LSAT, L402, Payment), checks each as `offer` and
    /// `chargeOffer` do, and picks one by `preference`; an offer that fails its checks is never
    /// chosen, and the other scheme's is taken instead. Throws only when no offer passes: the
    /// preferred scheme's problem.
    public static func choose(
        wwwAuthenticate: [String], body: [UInt8], requestBody: [UInt8]?, preference: SchemePreference = .auto,
        policy: InvoicePolicy = InvoicePolicy(), now: Date = Date()
    ) throws(L402ClientError) -> ChosenOffer {
        let schemes = Set(AuthSchemes.offered(in: wwwAuthenticate))
        let l402: Result<PaymentOffer, L402ClientError>?
        do {
            l402 = .success(try offer(wwwAuthenticate: wwwAuthenticate, body: body, policy: policy, now: now))
        } catch {
            // Absent, rather than refused, when neither the headers nor the body carry one.
            let offered = schemes.contains("l402") || schemes.contains("lsat") || bodyHasMacaroon(body)
            l402 = offered ? .failure(error) : nil
        }
        var payment: Result<PaymentChargeOffer, L402ClientError>?
        if let challenges = try? PaymentChallenge.parseAll(headerValues: wwwAuthenticate) {
            for challenge in challenges {
                do {
                    payment = .success(try chargeOffer(challenge, requestBody: requestBody, policy: policy, now: now))
                    break
                } catch {
                    if payment == nil { payment = .failure(error) }
                }
            }
        } else if schemes.contains("payment") {
            payment = .failure(.malformedChallenge("the Payment challenge lacks a required parameter"))
        }

        let preferPayment: Bool
        switch preference {
        case .l402: preferPayment = false
        case .payment: preferPayment = true
        case .auto:
            if case .success(let offer)? = l402 { preferPayment = !(offer.calls.map { $0 > 1 } ?? true) } else { preferPayment = true }
        }
        let l402Choice = l402.map { $0.map(ChosenOffer.l402) }
        let paymentChoice = payment.map { $0.map(ChosenOffer.payment) }
        let ordered = (preferPayment ? [paymentChoice, l402Choice] : [l402Choice, paymentChoice]).compactMap { $0 }
        for case .success(let chosen) in ordered { return chosen }
        for case .failure(let error) in ordered { throw error }
        throw .malformedChallenge("the 402 carries no L402, LSAT or Payment challenge")
    }

    private static func bodyHasMacaroon(_ body: [UInt8]) -> Bool {
        guard body.count <= maximumBodyBytes, let parsed = try? JSONDecoder().decode(Body.self, from: Data(body)) else { return false }
        return parsed.macaroon != nil
    }
}
