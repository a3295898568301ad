import Crypto
import Foundation
import Macaroons

/// Checks L402 credentials. No call to the Lightning node is needed: the preimage proves payment.
///
/// Order of checks (the first failure is reported): parse → decode identifier(s) → root key by
/// token id → HMAC chain of every macaroon → SHA-256(preimage) == payment hash (constant time) →
/// every caveat of every macaroon holds → the purchase's tool → one call leased atomically in the
/// usage store, within the purchase's calls (or a smaller `calls` caveat).
public struct Authenticator: Sendable {
    /// Where the root keys of issued tokens are looked up.
    public let secrets: any SecretStore
    /// Where each token's used calls are counted and reserved.
    public let usage: any TokenUsageStore

    /// An authenticator over these stores.
    public init(secrets: any SecretStore, usage: any TokenUsageStore) {
        self.secrets = secrets
        self.usage = usage
    }

    /// Verifies `authorization` (the whole Authorization header value) for `request` and leases one
    /// call. If the call then fails upstream, give it back with `usage.releaseCall(_:)`.
    public func authenticate(authorization: String, request: ProtectedRequest) async throws(AuthenticationFailure) -> AuthorizedCall {
        let credential: Credential
        do { credential = try Credential(authorizationHeader: authorization) } catch { throw .malformed(error.description) }

        // Several macaroons are accepted only as copies of one token (e.g. differently attenuated):
        // all are verified and all their caveats must hold.
        var identifier: L402Identifier?
        for (index, macaroon) in credential.macaroons.enumerated() {
            let decoded: L402Identifier
            do { decoded = try L402Identifier(decoding: macaroon.identifier) } catch {
                throw .malformed("macaroon #\(index) identifier: \(error)")
            }
            if let identifier, identifier != decoded { throw .malformed("the macaroons belong to different tokens") }
            identifier = decoded
        }
        guard let identifier else { throw .malformed("no macaroon") }

        let secret: StoredSecret?
        do { secret = try await secrets.secret(for: identifier.tokenID) } catch { throw .storeUnavailable(String(describing: error)) }
        guard let secret else { throw .unknownToken }

        var caveats = [Caveat]()
        for macaroon in credential.macaroons {
            do {
                try macaroon.verify(rootKey: secret.rootKey) { caveats.append($0) }
            } catch MacaroonError.thirdPartyCaveatUnsupported(let index) {
                throw .unknownCaveat("third-party caveat #\(index)")
            } catch {
                throw .badSignature
            }
        }

        // swift-crypto's Digest == compares in constant time.
        guard SHA256.hash(data: credential.preimage) == identifier.paymentHash else { throw .wrongPreimage }
        if !secret.isPaid {
            // Proof of payment seen: keep the key past the invoice's expiry.
            do { try await secrets.markPaid(identifier.tokenID) } catch { throw .storeUnavailable(String(describing: error)) }
        }

        let evaluation = try CaveatEvaluation(caveats: caveats, request: request)
        // What was sold is the server's record; caveats (which any holder can add) only restrict it.
        let purchase = secret.purchase ?? Self.legacyPurchase(evaluation, tool: request.tool)
        guard purchase.tool == request.tool else { throw .wrongTool }
        let limit = secret.purchase.map { min($0.calls, evaluation.callsLimit ?? $0.calls) } ?? evaluation.callsLimit ?? Int.max
        let lease: CallLease?
        do { lease = try await usage.reserveCall(for: identifier.tokenID, limit: limit, takenAt: request.now) } catch {
            throw .storeUnavailable(String(describing: error))
        }
        guard let lease else { throw .spent }

        return AuthorizedCall(
            tokenID: identifier.tokenID, paymentHash: identifier.paymentHash, purchase: purchase, lease: lease,
            callsLimit: limit == Int.max ? nil : limit, expiresAt: evaluation.expiresAt, caveats: evaluation.caveats,
            macaroon: credential.macaroons[0])
    }

    /// The purchase of a key stored before purchases were recorded: the minter's own caveats, which it
    /// always put first in the macaroon (`amount_sats`, then `calls`), before any a holder can append.
    static func legacyPurchase(_ evaluation: CaveatEvaluation, tool: String) -> Purchase {
        let calls = evaluation.caveats.lazy.compactMap { caveat -> Int? in
            if case .calls(let n) = caveat { return n }
            return nil
        }.first
        return Purchase(tool: tool, amountSats: evaluation.amountSats ?? 0, calls: calls ?? 1)
    }
}

/// A verified credential with one call leased.
public struct AuthorizedCall: Sendable, Equatable {
    /// The token the call is paid with.
    public var tokenID: TokenID
    /// The payment hash of the token's invoice (32 bytes).
    public var paymentHash: [UInt8]
    /// What the token was sold as: the server's record (or, for a key stored before purchases were
    /// recorded, the minter's first caveats).
    public var purchase: Purchase
    /// The call leased for this request: commit it (`MeteringStore.commitCall`) once served, or
    /// release it (`TokenUsageStore.releaseCall`) when it failed.
    public var lease: CallLease
    /// The effective limit: the purchase's calls or a smaller `calls` caveat; nil when nothing limits calls.
    public var callsLimit: Int?
    /// The earliest `expires_at`, if any.
    public var expiresAt: Date?
    /// Every caveat of every macaroon of the credential, parsed, in order.
    public var caveats: [L402Caveat]
    /// The first macaroon of the credential.
    public var macaroon: Macaroon

    /// What the token was paid, from its purchase.
    public var amountSats: UInt64 { purchase.amountSats }
    /// Calls of the token in use, this leased one included.
    public var callsUsed: Int { lease.callsUsed }
}
