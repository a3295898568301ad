/// Why a BOLT-11 string could not be decoded, or an invoice could not be encoded.
///
/// Every malformed input maps to one of these cases; decoding never traps.
/// No case carries a private key or other secret.
public enum Bolt11Error: Error, Equatable, Sendable, CustomStringConvertible {
    // Bech32 layer
    /// The input is empty.
    case empty
    /// The input mixes upper- and lower-case letters, which bech32 forbids.
    case mixedCase
    /// There is no `1` between the human-readable part and the data.
    case missingSeparator
    /// A character outside the bech32 alphabet, at this offset.
    case invalidCharacter(Character, offset: Int)
    /// The bech32 checksum does not match.
    case invalidChecksum

    // Human-readable part
    /// The human-readable part does not start with `ln` and a currency prefix.
    case invalidPrefix(String)
    /// The currency prefix names no network this library knows.
    case unknownNetwork(String)
    /// The amount in the human-readable part is not a number.
    case invalidAmount(String)
    /// The amount's multiplier is not one of `m`, `u`, `n`, `p`.
    case invalidMultiplier(Character)
    /// The amount is not a whole number of millisatoshis (a `p` amount not ending in 0).
    case subMillisatoshiAmount(String)
    /// The amount does not fit in 64 bits of millisatoshis.
    case amountOverflow(String)

    // Data part
    /// The data part is shorter than a timestamp and a signature.
    case tooShort(words: Int)
    /// A tagged field declares more 5-bit words than remain.
    case truncatedField(tag: Character, declared: Int, available: Int)
    /// A tagged field's header (tag and length) is cut off.
    case truncatedFieldHeader(tag: Character)
    /// A tagged field is encoded with more words than its value needs.
    case nonMinimalField(tag: Character)
    /// A tagged field's value does not fit its type.
    case fieldOverflow(tag: Character)
    /// A tagged field's value is malformed, and why.
    case malformedField(tag: Character, reason: String)
    /// The description is not valid UTF-8.
    case invalidDescriptionEncoding
    /// The invoice has no payment hash (`p`) field.
    case missingPaymentHash
    /// The invoice has no payment secret (`s`) field.
    case missingPaymentSecret
    /// The invoice has neither a description (`d`) nor a description hash (`h`).
    case missingDescription
    /// The invoice has both a description and a description hash.
    case conflictingDescriptions
    /// The invoice requires a feature this library does not know (an even bit).
    case unknownRequiredFeature(bit: Int)

    // Signature
    /// The signature's recovery id is not 0 to 3.
    case invalidRecoveryId(UInt8)
    /// The signature is not a valid secp256k1 signature.
    case invalidSignature
    /// No public key can be recovered from the signature.
    case signatureNotRecoverable
    /// The signature's S value is in the upper half of the curve order (not canonical).
    case highSSignature
    /// The payee key (`n` field) is not a valid compressed secp256k1 public key.
    case invalidPayeeKey

    // Encoding
    /// The private key given for signing is not a valid secp256k1 key.
    case invalidPrivateKey
    /// A field value given for encoding is out of range or malformed.
    case invalidFieldValue(String)
    /// The `n` field names a different key than the one that signed.
    case payeeMismatch
    /// A fallback address cannot be encoded.
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
