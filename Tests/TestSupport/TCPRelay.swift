import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A loopback TCP relay in front of a server that a test can `cut` (every relayed connection dropped,
/// new ones closed on accept) and `restore`: a database that goes away and comes back, without touching
/// the server other tests share.
public final class TCPRelay: Sendable {
    /// The relay's own port on 127.0.0.1.
    public let port: Int
    private let listener: any Channel
    private let state: NIOLockedValueBox<State>

    private struct State {
        var isCut = false
        var open: [ObjectIdentifier: any Channel] = [:]
    }

    private init(port: Int, listener: any Channel, state: NIOLockedValueBox<State>) {
        self.port = port
        self.listener = listener
        self.state = state
    }

    /// Starts relaying 127.0.0.1:<ephemeral> to `host`:`targetPort`.
    public static func start(to host: String, port targetPort: Int) async throws -> TCPRelay {
        let state = NIOLockedValueBox(State())
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { inbound in
                guard state.withLockedValue({ !$0.isCut }) else { return inbound.close() }
                track(inbound, in: state)
                return ClientBootstrap(group: inbound.eventLoop)
                    .channelInitializer { outbound in
                        outbound.eventLoop.makeCompletedFuture {
                            try outbound.pipeline.syncOperations.addHandler(Forwarder(peer: inbound))
                        }
                    }
                    .connect(host: host, port: targetPort)
                    .flatMapThrowing { outbound in
                        track(outbound, in: state)
                        // The inbound side reads (Forwarder asks) only once there is somewhere to write to.
                        try inbound.pipeline.syncOperations.addHandler(Forwarder(peer: outbound))
                    }
                    .flatMapErrorThrowing { error in
                        inbound.close(promise: nil)
                        throw error
                    }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TCPRelay(port: listener.localAddress?.port ?? 0, listener: listener, state: state)
    }

    private static func track(_ channel: any Channel, in state: NIOLockedValueBox<State>) {
        let id = ObjectIdentifier(channel)
        state.withLockedValue { $0.open[id] = channel }
        channel.closeFuture.whenComplete { _ in _ = state.withLockedValue { $0.open.removeValue(forKey: id) } }
    }

    /// Drops every relayed connection and closes new ones as soon as they are accepted.
    public func cut() {
        let open = state.withLockedValue { state in
            state.isCut = true
            return Array(state.open.values)
        }
        for channel in open { channel.close(promise: nil) }
    }

    /// Relays new connections again.
    public func restore() {
        state.withLockedValue { $0.isCut = false }
    }

    /// Stops listening and drops every relayed connection.
    public func stop() async {
        cut()
        try? await listener.close()
    }
}

/// Writes whatever one side reads to the other, and closes the other side when this one closes.
/// Asks for reads itself, so it also works on channels without auto-read.
private final class Forwarder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let peer: any Channel

    init(peer: any Channel) { self.peer = peer }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        context.read()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        peer.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        peer.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
