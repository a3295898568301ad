/// Why a BOLT-11 string could not be decoded, or an invoice could not be encoded.
///
/// Every malformed input maps to one of these cases; decoding never traps.
/// No case carries a private key or other secret.
public enum Bolt11Error: Error, Equatable, Sendable, CustomStringConvertible {
    // Bech32 layer
    case empty
    case mixedCase
    case missingSeparator
    case invalidCharacter(Character, offset: Int)
    case invalidChecksum

    // Human-readable part
    case invalidPrefix(String)
    case unknownNetwork(String)
    case invalidAmount(String)
    case invalidMultiplier(Character)
    case subMillisatoshiAmount(String)
    case amountOverflow(String)

    // Data part
    case tooShort(words: Int)
    case truncatedField(tag: Character, declared: Int, available: Int)
    case truncatedFieldHeader(tag: Character)
    case nonMinimalField(tag: Character)
    case fieldOverflow(tag: Character)
    case malformedField(tag: Character, reason: String)
    case invalidDescriptionEncoding
    case missingPaymentHash
    case missingPaymentSecret
    case missingDescription
    case conflictingDescriptions
    case unknownRequiredFeature(bit: Int)

    // Signature
    case invalidRecoveryId(UInt8)
    case invalidSignature
    case signatureNotRecoverable
    case highSSignature
    case invalidPayeeKey

    // Encoding
    case invalidPrivateKey
    case invalidFieldValue(String)
    case payeeMismatch
    case invalidAddress(String)

    /// What is wrong, in words a user can act on.
    public var description: String {
        switch self {
        case .empty: "invoice string is empty"
        case .mixedCase: "invoice mixes upper- and lower-case characters (bech32 forbids it)"
        case .missingSeparator: "invoice has no bech32 separator '1' between prefix and data"
        case .invalidCharacter(let c, let offset): "invalid bech32 character \(c.debugDescription) at offset \(offset)"
        case .invalidChecksum: "bech32 checksum does not match"
        case .invalidPrefix(let hrp): "human-readable part \(hrp.debugDescription) does not start with \"ln\""
        case .unknownNetwork(let prefix): "unknown currency prefix \(prefix.debugDescription) (expected bc, tb, tbs or bcrt)"
        case .invalidAmount(let amount): "invalid amount \(amount.debugDescription): must be a positive decimal without leading zeros"
        case .invalidMultiplier(let c): "invalid amount multiplier \(c.debugDescription) (expected m, u, n or p)"
        case .subMillisatoshiAmount(let amount): "amount \(amount.debugDescription) is not a whole number of millisatoshis (a 'p' amount must end in 0)"
        case .amountOverflow(let amount): "amount \(amount.debugDescription) exceeds 64 bits of millisatoshis"
        case .tooShort(let words): "data part of \(words) 5-bit words is too short for a timestamp and a signature (at least 111)"
        case .truncatedField(let tag, let declared, let available):
            "field '\(tag)' declares \(declared) words but only \(available) remain before the signature"
        case .truncatedFieldHeader(let tag): "field '\(tag)' is cut off before its 10-bit length"
        case .nonMinimalField(let tag): "field '\(tag)' is not minimally encoded (leading zero words)"
        case .fieldOverflow(let tag): "field '\(tag)' holds a value wider than 64 bits"
        case .malformedField(let tag, let reason): "field '\(tag)' is malformed: \(reason)"
        case .invalidDescriptionEncoding: "description field 'd' is not valid UTF-8"
        case .missingPaymentHash: "invoice has no payment hash field 'p'"
        case .missingPaymentSecret: "invoice has no payment secret field 's' (required by BOLT-11)"
        case .missingDescription: "invoice has neither a description 'd' nor a description hash 'h'"
        case .conflictingDescriptions: "invoice has both a description 'd' and a description hash 'h'"
        case .unknownRequiredFeature(let bit): "invoice requires unknown feature bit \(bit) (even bits must be understood)"
        case .invalidRecoveryId(let id): "signature recovery id \(id) is not 0, 1, 2 or 3"
        case .invalidSignature: "signature does not verify"
        case .signatureNotRecoverable: "no public key can be recovered from the signature"
        case .highSSignature: "signature is not low-S, which BOLT-11 forbids when the payee field 'n' is present"
        case .invalidPayeeKey: "payee field 'n' is not a valid secp256k1 public key"
        case .invalidPrivateKey: "private key is not a valid secp256k1 scalar (32 bytes, non-zero, below the curve order)"
        case .invalidFieldValue(let reason): "cannot encode invoice: \(reason)"
        case .payeeMismatch: "invoice payee does not match the signing key"
        case .invalidAddress(let reason): "invalid fallback address: \(reason)"
        }
    }
}
