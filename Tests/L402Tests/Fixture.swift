import Bolt11
import Foundation
import L402
import Lightning
import Macaroons

/// A gateway's L402 half on real parts: the embedded dev node (real signed invoices, real
/// preimages), in-memory stores, a `Minter` and an `Authenticator`.
struct Fixture {
    let node: DevNode
    let secrets = InMemorySecretStore()
    let usage = InMemoryTokenUsageStore()
    let minter: Minter
    let authenticator: Authenticator

    init(invoiceExpirySeconds: Int = 600) {
        node = DevNode(key: NodeKey.random(), store: InMemoryDevInvoiceStore())
        minter = Minter(node: node, secrets: secrets, location: "https://gateway.test", invoiceExpirySeconds: invoiceExpirySeconds)
        authenticator = Authenticator(secrets: secrets, usage: usage)
    }

    /// Mints a challenge and pays its invoice through the dev node, as an agent's wallet would.
    func paidToken(
        tool: String = "weather", priceSats: UInt64 = 21, calls: Int = 1, validForSeconds: Int? = 3600
    ) async throws -> (challenge: MintedChallenge, preimage: [UInt8]) {
        let challenge = try await minter.mint(
            tool: tool, priceSats: priceSats, calls: calls, validForSeconds: validForSeconds, memo: "\(tool) call")
        let payment = try await node.pay(paymentRequest: challenge.invoice, feeLimitSats: 0)
        return (challenge, payment.preimage)
    }

    func authenticate(
        _ macaroons: [Macaroon], preimage: [UInt8], tool: String = "weather", method: String = "GET", path: String = "/today",
        now: Date = Date(), scheme: String = "L402"
    ) async throws(AuthenticationFailure) -> AuthorizedCall {
        var header = Credential(macaroons: macaroons, preimage: preimage).headerValue
        header.replaceSubrange(header.startIndex..<header.index(header.startIndex, offsetBy: 4), with: scheme)
        return try await authenticator.authenticate(
            authorization: header, request: ProtectedRequest(tool: tool, method: method, path: path, now: now))
    }

    /// The failure `authenticate` throws, or nil when it succeeds.
    func failure(
        _ macaroons: [Macaroon], preimage: [UInt8], tool: String = "weather", method: String = "GET", path: String = "/today",
        now: Date = Date()
    ) async -> AuthenticationFailure? {
        do {
            _ = try await authenticate(macaroons, preimage: preimage, tool: tool, method: method, path: path, now: now)
            return nil
        } catch {
            return error
        }
    }
}
