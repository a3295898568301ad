import Crypto
import Foundation
import Macaroons

/// Checks L402 credentials. No call to the Lightning node is needed: the preimage proves payment.
///
/// Order of checks (the first failure is reported): parse → decode identifier(s) → root key by
/// token id → HMAC chain of every macaroon → SHA-256(preimage) == payment hash (constant time) →
/// every caveat of every macaroon holds → one call reserved atomically in the usage store.
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

    /// Verifies `authorization` (the whole Authorization header value) for `request` and reserves one
    /// call. If the call then fails upstream, give it back with `usage.releaseCall(for:)`.
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
        let limit = evaluation.callsLimit ?? Int.max
        let used: Int?
        do { used = try await usage.reserveCall(for: identifier.tokenID, limit: limit) } catch {
            throw .storeUnavailable(String(describing: error))
        }
        guard let used else { throw .spent }

        return AuthorizedCall(
            tokenID: identifier.tokenID, paymentHash: identifier.paymentHash, amountSats: evaluation.amountSats ?? 0,
            callsLimit: evaluation.callsLimit, callsUsed: used, expiresAt: evaluation.expiresAt, caveats: evaluation.caveats,
            macaroon: credential.macaroons[0])
    }
}

/// A verified credential with one call reserved.
public struct AuthorizedCall: Sendable, Equatable {
    /// The token the call is paid with.
    public var tokenID: TokenID
    /// The payment hash of the token's invoice (32 bytes).
    public var paymentHash: [UInt8]
    /// From the first `amount_sats` caveat (the minter's); 0 when there is none.
    public var amountSats: UInt64
    /// The effective (smallest) `calls` limit; nil when no caveat limits calls.
    public var callsLimit: Int?
    /// Calls of the token used, this reserved one included.
    public var callsUsed: Int
    /// The earliest `expires_at`, if any.
    public var expiresAt: Date?
    /// Every caveat of every macaroon of the credential, parsed, in order.
    public var caveats: [L402Caveat]
    /// The first macaroon of the credential.
    public var macaroon: Macaroon
}
