import ByteEncoding
import Foundation
import L402
import NIOHTTP1
import Testing

/// The `Payment` scheme's dance against a gateway: its 402 offer, paying the offer's own invoice
/// through the dev node, and checking a refusal's problem body.
extension GatewayEndpoint {
    /// The `Payment` challenge of the 402 the gateway answers for this request (no credential sent).
    func paymentChallenge(
        _ path: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> PaymentChallenge {
        let response = try await send(method, path, headers: headers, body: body)
        guard response.status == 402 else { throw HarnessError("expected 402 for \(path), got \(response.status): \(response.body)") }
        return try PaymentChallenge.parseAll(headerValues: response.headers["WWW-Authenticate"])[0]
    }

    /// Pays the invoice of `challenge`'s request object through the dev node; returns the preimage.
    func pay(_ challenge: PaymentChallenge) async throws -> [UInt8] {
        try Hex.decode(try await pay(try LightningChargeRequest(encoded: challenge.request).invoice))
    }

    /// A paid credential for `path`: the 402's `Payment` challenge, its invoice paid.
    func buyPayment(
        _ path: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> PaymentCredential {
        let challenge = try await paymentChallenge(path, method: method, headers: headers, body: body)
        return PaymentCredential(challenge: challenge, preimage: try await pay(challenge))
    }
}

/// What a `Payment` refusal must look like: the status the draft gives its problem type (402, or
/// 400 for `method-unsupported`), an `application/problem+json` body of that type, never the
/// preimage; a 402 also carries `Cache-Control: no-store` and a fresh challenge the body names.
func expectPaymentProblem(
    _ response: (status: Int, headers: HTTPHeaders, body: String), _ kind: PaymentProblemKind, _ context: String,
    preimage: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    let shown = "\(context) → \(response.status) \(response.body.prefix(300))"
    #expect(response.status == kind.status, "\(shown)", sourceLocation: sourceLocation)
    #expect(response.headers.first(name: "Content-Type") == PaymentProblem.contentType, "\(shown)", sourceLocation: sourceLocation)
    guard let problem = try? JSONDecoder().decode(PaymentProblem.self, from: Data(response.body.utf8)) else {
        Issue.record("not a problem body: \(shown)", sourceLocation: sourceLocation)
        return
    }
    #expect(problem.type == kind.typeURI && problem.status == kind.status, "\(shown)", sourceLocation: sourceLocation)
    if let preimage { #expect(!response.body.contains(preimage), "\(context) echoed the preimage", sourceLocation: sourceLocation) }
    guard response.status == 402 else { return }
    #expect(response.headers.first(name: "Cache-Control") == "no-store", "\(shown)", sourceLocation: sourceLocation)
    let fresh = try? PaymentChallenge.parseAll(headerValues: response.headers["WWW-Authenticate"])
    #expect(fresh?.count == 1 && problem.challengeID == fresh?.first?.id, "a fresh challenge: \(shown)", sourceLocation: sourceLocation)
}
