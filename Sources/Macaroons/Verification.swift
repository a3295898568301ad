extension Macaroon {
    /// Checks the HMAC chain against `rootKey` (constant-time comparison), then hands every
    /// first-party caveat to `check`, which throws to reject the macaroon; its error is rethrown as is.
    ///
    /// Throws `MacaroonError.invalidSignature` when the chain does not match, and
    /// `MacaroonError.thirdPartyCaveatUnsupported` for a third-party caveat: discharge
    /// macaroons are not verified by this library, so such a macaroon is never accepted.
    public func verify(rootKey: [UInt8], satisfying check: (Caveat) throws -> Void) throws {
        let expected = Signing.signature(rootKey: rootKey, identifier: identifier, caveats: caveats)
        guard Signing.constantTimeEquals(expected, signature) else { throw MacaroonError.invalidSignature }
        for (index, caveat) in caveats.enumerated() {
            guard caveat.isFirstParty else { throw MacaroonError.thirdPartyCaveatUnsupported(index: index) }
            try check(caveat)
        }
    }
}
