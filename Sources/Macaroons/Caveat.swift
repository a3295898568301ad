/// One caveat of a macaroon: a first-party predicate the target service checks itself,
/// or a third-party caveat (identifier, verification id, location) discharged elsewhere.
public struct Caveat: Sendable, Hashable {
    /// The caveat identifier: the predicate bytes of a first-party caveat, the `cid` of a third-party one.
    public var identifier: [UInt8]
    /// The encrypted caveat key of a third-party caveat (`vid`); `nil` for a first-party caveat.
    public var verificationId: [UInt8]?
    /// Where a third-party caveat is discharged (`cl`); `nil` when the encoding carries no location.
    public var location: String?

    /// A caveat from its raw parts, as it appears on the wire.
    public init(identifier: [UInt8], verificationId: [UInt8]? = nil, location: String? = nil) {
        self.identifier = identifier
        self.verificationId = verificationId
        self.location = location
    }

    /// A first-party caveat carrying `predicate` (conventionally `key=value`).
    public init(predicate: String) {
        self.init(identifier: Array(predicate.utf8))
    }

    /// True when the target service checks this caveat itself (no verification id).
    public var isFirstParty: Bool { verificationId == nil }

    /// The identifier as UTF-8 text, for first-party caveats whose identifier is valid UTF-8.
    public var predicate: String? {
        guard isFirstParty else { return nil }
        return String(validating: identifier, as: UTF8.self)
    }
}
