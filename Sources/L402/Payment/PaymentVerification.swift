import Bolt11
import ByteEncoding
import Crypto
import Foundation

/// A Lightning `charge` credential that passed every check: what was paid, for which challenge.
/// Redeem it once before serving (a `PaymentChallengeStore`; the paywall core leases its charge's one call).
public struct VerifiedPayment: Sendable, Equatable {
    /// The `id` of the challenge the credential answered.
    public var challengeID: String
    /// The challenge's realm (this server's).
    public var realm: String
    /// 32 bytes.
    public var paymentHash: [UInt8]
    /// The price paid, from the bound request (equal to the invoice's).
    public var amountSats: UInt64
    /// When the challenge stops being redeemable: how long a store must remember it was consumed.
    public var expiresAt: Date
}

/// Why a credential was refused; each maps to one of the draft's problem types (`problem`).
public enum PaymentVerificationFailure: Error, Equatable, CustomStringConvertible {
    /// The header does not parse, or the preimage is not 64 lowercase hex digits.
    case malformedCredential(PaymentCredentialError)
    /// Not a `lightning` / `charge` challenge.
    case methodUnsupported(method: String, intent: String)
    /// The id is not our binding of the echoed parameters (tampered, foreign, another realm), or
    /// the bound request does not hold together.
    case invalidChallenge(String)
    /// The challenge (or its invoice) has expired.
    case expired(String)
    /// The preimage does not hash to the payment hash, or the body does not match the digest.
    case verificationFailed(String)

    public var description: String {
        switch self {
        case .malformedCredential(let error): "malformed credential: \(error)"
        case .methodUnsupported(let method, let intent): "payment method \(method)/\(intent) is not supported (only lightning/charge)"
        case .invalidChallenge(let detail): "invalid challenge: \(detail)"
        case .expired(let detail): "expired: \(detail)"
        case .verificationFailed(let detail): "verification failed: \(detail)"
        }
    }

    /// The draft's problem type.
    public var kind: PaymentProblemKind {
        switch self {
        case .malformedCredential: .malformedCredential
        case .methodUnsupported: .methodUnsupported
        case .invalidChallenge: .invalidChallenge
        case .expired: .paymentExpired
        case .verificationFailed: .verificationFailed
        }
    }

    /// The problem body (never holds the preimage or the credential).
    public func problem(challengeID: String? = nil) -> PaymentProblem {
        PaymentProblem(kind, detail: description, challengeID: challengeID)
    }
}

/// Checks a Lightning `charge` credential without storage or network: pure, given the binding
/// secret and the time. The one-success-per-challenge rule is the caller's next step
/// (`PaymentChallengeStore.consume`, or the paywall core's one-call lease).
public struct PaymentVerifier: Sendable {
    /// Recomputes challenge ids.
    public let binding: ChallengeBinding
    /// The realm this server issues challenges for; a credential for another realm is refused even
    /// when the secret is shared.
    public let realm: String

    /// A verifier of credentials for challenges bound with `binding`, for `realm`.
    public init(binding: ChallengeBinding, realm: String) {
        self.binding = binding
        self.realm = realm
    }

    /// Parses `headerValue` (`Authorization` or `Payment-Authorization`) and verifies it.
    public func verify(
        authorization headerValue: String, requestBody: [UInt8]? = nil, now: Date = Date()
    ) throws(PaymentVerificationFailure) -> VerifiedPayment {
        let credential: PaymentCredential
        do { credential = try PaymentCredential(parsing: headerValue) } catch { throw .malformedCredential(error) }
        return try verify(credential, requestBody: requestBody, now: now)
    }

    /// In order: method and intent supported; preimage well-formed; the id is our binding of
    /// the echoed parameters (constant time) and the realm ours; not expired (the challenge's
    /// `expires` and the invoice's own expiry); the request object reads, its amount and
    /// currency are the invoice's, its payment hash the invoice's; the body matches `digest`;
    /// SHA-256 of the preimage is the payment hash (constant time).
    public func verify(
        _ credential: PaymentCredential, requestBody: [UInt8]? = nil, now: Date = Date()
    ) throws(PaymentVerificationFailure) -> VerifiedPayment {
        let challenge = credential.challenge
        guard challenge.method == PaymentChallenge.lightning, challenge.intent == PaymentChallenge.charge else {
            throw .methodUnsupported(method: challenge.method, intent: challenge.intent)
        }
        let preimage: [UInt8]
        do { preimage = try credential.lightningPreimage() } catch { throw .malformedCredential(error) }
        guard binding.isBound(challenge) else {
            throw .invalidChallenge("the challenge id is not this server's binding of the echoed parameters")
        }
        guard challenge.realm == realm else { throw .invalidChallenge("the challenge is for realm \(challenge.realm.debugDescription)") }

        guard let expiresText = challenge.expires else { throw .invalidChallenge("the challenge has no expires") }
        guard let expires = PaymentTime.parse(expiresText) else { throw .invalidChallenge("expires is not an RFC 3339 time") }
        guard now < expires else { throw .expired("the challenge expired at \(expiresText)") }

        let request: LightningChargeRequest
        do { request = try LightningChargeRequest(encoded: challenge.request) } catch {
            throw .invalidChallenge("\(error)")
        }
        let invoice: Invoice
        do { invoice = try Invoice.decode(request.invoice) } catch { throw .invalidChallenge("the request's invoice: \(error)") }
        let (requestMsat, overflow) = request.amountSats.multipliedReportingOverflow(by: 1000)
        guard !overflow, invoice.amountMsat == requestMsat else {
            throw .invalidChallenge("the request's amount is not the invoice's")
        }
        if let stated = request.paymentHash, stated != invoice.paymentHash {
            throw .invalidChallenge("the request's paymentHash is not the invoice's")
        }
        let invoiceExpiry = Date(timeIntervalSince1970: TimeInterval(invoice.expiresAt))
        guard now < invoiceExpiry else { throw .expired("the invoice expired at \(PaymentTime.format(invoiceExpiry))") }

        if let digest = challenge.digest {
            guard let body = requestBody, ContentDigest.matches(digest, body: body) else {
                throw .verificationFailed("the request body does not match the challenge's digest")
            }
        }
        let hashed = Array(SHA256.hash(data: preimage))
        guard ConstantTime.equals(hashed, invoice.paymentHash) else {
            throw .verificationFailed("the preimage does not hash to the invoice's payment hash")
        }
        return VerifiedPayment(
            challengeID: challenge.id, realm: challenge.realm, paymentHash: invoice.paymentHash,
            amountSats: request.amountSats, expiresAt: min(expires, invoiceExpiry))
    }
}
