import Hummingbird
import L402Server
import NIOCore

/// A request context the paywall middleware can hand the verified token to.
public protocol L402RequestContext: RequestContext {
    /// The token that paid for this call, set by `L402Middleware`; nil for a free call (or a route
    /// without the middleware).
    var l402Token: VerifiedToken? { get set }
    /// The client's IP address, which free calls and the challenge rate limit count under.
    var clientAddress: String? { get }
}

/// A ready-made `L402RequestContext`: Hummingbird's core storage, the peer's address and the token.
public struct BasicL402RequestContext: L402RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var l402Token: VerifiedToken?
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }
}
