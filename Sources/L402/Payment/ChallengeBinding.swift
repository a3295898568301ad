import ByteEncoding
import Crypto
import Lightning

/// The challenge `id` as the draft's HMAC-SHA256 binding (draft-httpauth-payment-00
/// §5.1.2.1.1): `base64url(HMAC-SHA256(secret, realm|method|intent|request|expires|digest|opaque))`,
/// absent optional slots as empty strings, `description` not bound.
///
/// Pinned to the draft's seven slots, which Aperture's and tempoxyz/mpp-tools' published vectors
/// both follow. pympp (≥ 0.16) inserts an eighth slot, the advertised credential `header`, before
/// `opaque` when a challenge names one other than `Authorization`; we never advertise one, so our
/// ids agree with pympp's for every challenge we issue (see docs/payment.md).
public struct ChallengeBinding: Sendable {
    private let key: SymmetricKey

    /// A binding under `secret`, which every gateway sharing one database shares: 32 random
    /// bytes (`randomSecret()`); shorter ones are accepted only because test vectors use them.
    public init(secret: [UInt8]) {
        key = SymmetricKey(data: secret)
    }

    /// 32 bytes from the system's secure random source, for a new deployment's secret.
    public static func randomSecret() -> [UInt8] {
        SecureRandom.bytes(32)
    }

    /// The HMAC input: the seven slots joined with `|`.
    public static func input(
        realm: String, method: String, intent: String, request: String, expires: String?, digest: String?, opaque: String?
    ) -> String {
        [realm, method, intent, request, expires ?? "", digest ?? "", opaque ?? ""].joined(separator: "|")
    }

    /// The id for these parameters.
    public func id(
        realm: String, method: String, intent: String, request: String, expires: String? = nil, digest: String? = nil,
        opaque: String? = nil
    ) -> String {
        let input = Self.input(
            realm: realm, method: method, intent: intent, request: request, expires: expires, digest: digest, opaque: opaque)
        return Base64URL.encode(Array(HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: key)))
    }

    /// The id `challenge` should carry.
    public func id(for challenge: PaymentChallenge) -> String {
        id(realm: challenge.realm, method: challenge.method, intent: challenge.intent, request: challenge.request,
           expires: challenge.expires, digest: challenge.digest, opaque: challenge.opaque)
    }

    /// Whether `challenge.id` is the binding of its parameters, compared in constant time.
    public func isBound(_ challenge: PaymentChallenge) -> Bool {
        ConstantTime.equals(Array(id(for: challenge).utf8), Array(challenge.id.utf8))
    }
}

/// Comparison whose time does not depend on where the inputs differ.
enum ConstantTime {
    static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
