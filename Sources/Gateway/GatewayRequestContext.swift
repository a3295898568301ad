import L402
import Hummingbird
import NIOCore

/// Per-request context: Hummingbird's core storage plus the client's address for `X-Forwarded-For`.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, when the connection has one.
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }
}
