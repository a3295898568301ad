import Logging
import ServiceLifecycle

/// Runs a server for the duration of a test body, then stops it with a graceful shutdown instead of
/// cancelling it. Cancelling a Hummingbird server outright can trap in NIO ("Deinited NIOAsyncWriter
/// without calling finish()") when a connection was accepted but not yet handed to the server
/// (apple/swift-nio#3481), which takes the whole test process down.
enum GracefulShutdown {
    /// How long a graceful shutdown may take before the server is cancelled after all.
    static let grace: Duration = .seconds(10)

    /// Runs `serve` (a server's run loop; it sees the graceful shutdown through ServiceLifecycle) while
    /// `body` runs; returns `body`'s result once the server stopped.
    static func run<T: Sendable>(
        serving serve: @escaping @Sendable () async throws -> Void, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        let services = ServiceGroup(services: [ServeClosure(serve: serve)], gracefulShutdownSignals: [], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            await services.triggerGracefulShutdown()
            group.addTask { try await Task.sleep(for: grace) }  // the watchdog: cancel if shutting down hangs
            _ = try? await group.next()
            group.cancelAll()
            return try result.get()
        }
    }

    private struct ServeClosure: Service {
        let serve: @Sendable () async throws -> Void
        func run() async throws { try await serve() }
    }
}
