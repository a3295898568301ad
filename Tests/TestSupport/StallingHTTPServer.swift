import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A loopback HTTP/1.1 server that answers every request with a response head announcing
/// `announcedBytes`, sends the first `sentBytes` of the body, then stalls: it never writes again and
/// never closes. It records each connection that its peer closed, so a test can see that a proxy
/// gave up on the stalled body and freed the connection.
public final class StallingHTTPServer: Sendable {
    /// The server's port on 127.0.0.1.
    public let port: Int
    private let listener: any Channel
    private let closedByPeer: NIOLockedValueBox<Int>

    private init(port: Int, listener: any Channel, closedByPeer: NIOLockedValueBox<Int>) {
        self.port = port
        self.listener = listener
        self.closedByPeer = closedByPeer
    }

    /// How many connections the peer has closed so far.
    public var connectionsClosedByPeer: Int { closedByPeer.withLockedValue { $0 } }

    public static func start(announcedBytes: Int = 1 << 20, sentBytes: Int = 1000) async throws -> StallingHTTPServer {
        let closedByPeer = NIOLockedValueBox(0)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        Staller(announcedBytes: announcedBytes, sentBytes: sentBytes, closedByPeer: closedByPeer))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return StallingHTTPServer(port: listener.localAddress?.port ?? 0, listener: listener, closedByPeer: closedByPeer)
    }

    /// Stops listening (connections still open stay open until their peer closes them).
    public func stop() async {
        try? await listener.close()
    }
}

/// Waits for the end of the request head, answers with the head and a partial body, then does nothing.
private final class Staller: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let announcedBytes: Int
    let sentBytes: Int
    let closedByPeer: NIOLockedValueBox<Int>
    private var received: [UInt8] = []
    private var answered = false

    init(announcedBytes: Int, sentBytes: Int, closedByPeer: NIOLockedValueBox<Int>) {
        self.announcedBytes = announcedBytes
        self.sentBytes = sentBytes
        self.closedByPeer = closedByPeer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        received += Array(unwrapInboundIn(data).readableBytesView)
        guard received.count >= 4, received.indices.dropLast(3).contains(where: { received[$0..<($0 + 4)] == [13, 10, 13, 10] }) else {
            return
        }
        answered = true
        var answer = context.channel.allocator.buffer(string: "HTTP/1.1 200 OK\r\nContent-Length: \(announcedBytes)\r\nContent-Type: application/octet-stream\r\n\r\n")
        answer.writeRepeatingByte(UInt8(ascii: "x"), count: sentBytes)
        context.writeAndFlush(NIOAny(answer), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closedByPeer.withLockedValue { $0 += 1 }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
