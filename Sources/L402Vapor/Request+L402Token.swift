import L402Server
import Vapor

extension Request {
    private struct L402TokenKey: StorageKey {
        typealias Value = VerifiedToken
    }

    /// The token that paid for this call, set by `L402VaporMiddleware`; nil for a free call (or a
    /// route without the middleware).
    public var l402Token: VerifiedToken? {
        get { storage[L402TokenKey.self] }
        set { storage[L402TokenKey.self] = newValue }
    }
}
