import Bolt11
import ByteEncoding
import Foundation
import L402
import Lightning

/// A server's Payment half on real parts: the dev node's signed invoices and real preimages, a
/// binding secret, the issuer and the verifier.
struct PaymentFixture {
    static let realm = "api.example.test"
    let node = DevNode(key: NodeKey.random(), store: InMemoryDevInvoiceStore())
    let secret = ChallengeBinding.randomSecret()
    var binding: ChallengeBinding { ChallengeBinding(secret: secret) }
    var issuer: PaymentChallengeIssuer { PaymentChallengeIssuer(binding: binding, realm: Self.realm) }
    var verifier: PaymentVerifier { PaymentVerifier(binding: binding, realm: Self.realm) }

    /// A challenge for a fresh invoice, and the preimage paying it gives.
    func paidChallenge(
        sats: UInt64 = 21, expirySeconds: Int = 600, expiresAt: Date? = nil, body: [UInt8]? = nil
    ) async throws -> (challenge: PaymentChallenge, preimage: [UInt8]) {
        let invoice = try await node.createInvoice(amountSats: sats, memo: "weather", expirySeconds: expirySeconds)
        let challenge = try issuer.challenge(invoice: invoice.paymentRequest, description: "Weather report", expiresAt: expiresAt, requestBody: body)
        let payment = try await node.pay(paymentRequest: invoice.paymentRequest, feeLimitSats: 0)
        return (challenge, payment.preimage)
    }
}
