import Hummingbird
import Logging
import ServiceLifecycle
import NIOCore

/// A Hummingbird application listening on an ephemeral loopback port for the duration of `body`.
enum RunningServer {
    /// Starts `responder` on 127.0.0.1:0, runs `body` with the port, then shuts the server down gracefully.
    static func with<Responder: HTTPResponder, T: Sendable>(
        _ responder: Responder,
        services: [any Service] = [],
        _ body: @Sendable (Int) async throws -> T
    ) async throws -> T where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            services: services,
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            },
            logger: logger
        )
        return try await GracefulShutdown.run(serving: {
            defer { portSink.finish() }
            try await app.runService(gracefulShutdownSignals: [])
        }) {
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            return try await body(port)
        }
    }
}
