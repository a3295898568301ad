/// A macaroon: a bearer token whose HMAC chain lets any holder add restrictions (caveats)
/// while only the holder of the root key can verify it.
///
/// Minting and signing follow libmacaroons, go-macaroon and pymacaroons exactly, so a macaroon
/// made here verifies there and the other way round.
public struct Macaroon: Sendable, Hashable {
    /// Most caveats a decoded macaroon may carry. Verifying costs one HMAC per caveat, so every decoder
    /// refuses more as it reads them (`MacaroonError.tooManyCaveats`), before anything is verified.
    public static let maximumCaveats = 64

    /// A hint where the macaroon is meant to be used; not covered by the signature.
    public private(set) var location: String
    /// The identifier the minting service uses to find the root key.
    public private(set) var identifier: [UInt8]
    /// The caveats, in the order they were added (the order the signature chain runs in).
    public private(set) var caveats: [Caveat]
    /// The 32-byte HMAC-SHA256 chain value over the identifier and every caveat.
    public private(set) var signature: [UInt8]

    /// Mints a macaroon with no caveats, signed with a key derived from `rootKey`
    /// (`HMAC-SHA256(key: "macaroons-key-generator", rootKey)`, as the other libraries do).
    public init(rootKey: [UInt8], identifier: [UInt8], location: String = "") {
        self.init(
            location: location, identifier: identifier, caveats: [],
            signature: Signing.initialSignature(rootKey: rootKey, identifier: identifier))
    }

    /// A macaroon from decoded parts; the signature is taken as it is.
    init(location: String, identifier: [UInt8], caveats: [Caveat], signature: [UInt8]) {
        self.location = location
        self.identifier = identifier
        self.caveats = caveats
        self.signature = signature
    }

    /// A copy restricted by the first-party caveat `predicate` (conventionally `key=value`).
    public func addingFirstPartyCaveat(_ predicate: String) -> Macaroon {
        addingFirstPartyCaveat(bytes: Array(predicate.utf8))
    }

    /// A copy restricted by a first-party caveat with an arbitrary byte identifier.
    public func addingFirstPartyCaveat(bytes: [UInt8]) -> Macaroon {
        var copy = self
        copy.caveats.append(Caveat(identifier: bytes))
        copy.signature = Signing.chain(signature, firstParty: bytes)
        return copy
    }
}
