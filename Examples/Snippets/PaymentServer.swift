// Shown in docs/payment.md ("For the server: the API"); ExampleTests pays it with a real invoice.
import L402

/// The server side of the `Payment` scheme for one paid endpoint, from the `L402` module's types:
/// a challenge for each fresh invoice, then verify (pure), consume once (storage), serve with a receipt.
struct PaymentEndpoint {
    let issuer: PaymentChallengeIssuer
    let verifier: PaymentVerifier
    let store: any PaymentChallengeStore

    /// `secret`: 32 random bytes (`ChallengeBinding.randomSecret()`), the same on every server of the
    /// realm, so any of them verifies any challenge. The store is the only state: one success per challenge.
    init(secret: [UInt8], realm: String, store: any PaymentChallengeStore = InMemoryPaymentChallengeStore()) {
        let binding = ChallengeBinding(secret: secret)
        issuer = PaymentChallengeIssuer(binding: binding, realm: realm)
        verifier = PaymentVerifier(binding: binding, realm: realm)
        self.store = store
    }

    /// The 402's `WWW-Authenticate: Payment …` line, for an invoice created for this offer alone
    /// (never the L402 macaroon's); a request body is bound as the challenge's `digest`.
    func challenge(invoice: String, requestBody: [UInt8]?) throws -> PaymentChallenge {
        try issuer.challenge(invoice: invoice, description: "weather call", requestBody: requestBody)
    }

    /// What to do with a retry's `Authorization` (or `Payment-Authorization`) header.
    enum Answer {
        /// Serve the call, with this `Payment-Receipt` header.
        case serve(receipt: String)
        /// 402 with a fresh challenge and this `application/problem+json` body.
        case refuse(PaymentProblem)
    }

    func check(authorization: String, requestBody: [UInt8]?, freshChallengeID: String) async throws -> Answer {
        do {
            let paid = try verifier.verify(authorization: authorization, requestBody: requestBody)
            guard try await store.consume(paid) else {
                let used = PaymentVerificationFailure.invalidChallenge("the challenge was already used")
                return .refuse(used.problem(challengeID: freshChallengeID))
            }
            return .serve(receipt: PaymentReceipt(verified: paid).headerValue)
        } catch let failure as PaymentVerificationFailure {
            return .refuse(failure.problem(challengeID: freshChallengeID))
        }
    }
}
