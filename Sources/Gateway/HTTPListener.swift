import Hummingbird
import HummingbirdCore
import Logging

/// One HTTP/1 listener of the gateway, with the limits both listeners share (request head size, idle timeout).
enum HTTPListener {
    static func application<Responder: HTTPResponder>(
        _ responder: Responder, host: String, port: Int, maxHeaderBytes: Int, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void
    ) -> Application<Responder> where Responder.Context == GatewayRequestContext {
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: maxHeaderBytes, maxHeaderListSize: maxHeaderBytes)
        return Application(
            responder: responder,
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [MalformedRequestHandler(maxHeaderBytes: maxHeaderBytes)],
                    idleTimeout: .seconds(75), httpDecoderConfiguration: decoder)),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
