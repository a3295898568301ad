import L402

enum NamedToken {
    /// The token id an `Authorization` value names (its first macaroon's identifier), for the log of a
    /// refused request; nil when it cannot be read. Only the id, which is public (it travels in the
    /// macaroon): a forged credential can name any token, so this says what was claimed, not proven.
    static func id(in authorization: String) -> TokenID? {
        guard let credential = try? Credential(authorizationHeader: authorization), let first = credential.macaroons.first else {
            return nil
        }
        return try? L402Identifier(decoding: first.identifier).tokenID
    }
}
