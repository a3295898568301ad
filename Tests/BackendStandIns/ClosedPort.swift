import NIOCore
import NIOPosix

/// A loopback port nothing listens on (bound, then closed): a node that is down.
public enum ClosedPort {
    public static func make() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 1
        try await channel.close()
        return port
    }
}
