import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A loopback TCP relay in front of a server that a test can `cut` (every relayed connection dropped,
/// new ones closed on accept), `silence` (a network partition: connections stay open but nothing gets
/// through, new ones are accepted and never answered) and `restore`: a database that goes away and comes
/// back, without touching the server other tests share.
public final class TCPRelay: Sendable {
    /// The relay's own port on 127.0.0.1.
    public let port: Int
    private let listener: any Channel
    private let state: NIOLockedValueBox<State>

    private enum Mode { case relaying, cut, silent }

    private struct State {
        var mode = Mode.relaying
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
                switch state.withLockedValue({ $0.mode }) {
                case .cut: return inbound.close()
                case .silent:
                    track(inbound, in: state)  // held open, never read, never answered
                    return inbound.eventLoop.makeSucceededVoidFuture()
                case .relaying: track(inbound, in: state)
                }
                let isSilent: @Sendable () -> Bool = { state.withLockedValue { $0.mode == .silent } }
                return ClientBootstrap(group: inbound.eventLoop)
                    .channelInitializer { outbound in
                        outbound.eventLoop.makeCompletedFuture {
                            try outbound.pipeline.syncOperations.addHandler(Forwarder(peer: inbound, isSilent: isSilent))
                        }
                    }
                    .connect(host: host, port: targetPort)
                    .flatMapThrowing { outbound in
                        track(outbound, in: state)
                        // The inbound side reads (Forwarder asks) only once there is somewhere to write to.
                        try inbound.pipeline.syncOperations.addHandler(Forwarder(peer: outbound, isSilent: isSilent))
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
        for channel in switchMode(to: .cut) { channel.close(promise: nil) }
    }

    /// Lets nothing through either way, without closing anything: like a network partition.
    public func silence() {
        _ = switchMode(to: .silent)
    }

    /// Relays new connections again. Connections held during a silence are reset, as a healed
    /// partition's stale connections are.
    public func restore() {
        for channel in switchMode(to: .relaying) { channel.close(promise: nil) }
    }

    /// Sets the mode; returns the connections open at that moment.
    private func switchMode(to mode: Mode) -> [any Channel] {
        state.withLockedValue { state in
            state.mode = mode
            return Array(state.open.values)
        }
    }

    /// Stops listening and drops every relayed connection.
    public func stop() async {
        cut()
        try? await listener.close()
    }
}

/// Writes whatever one side reads to the other (nothing while the relay is silent), and closes the
/// other side when this one closes. Asks for reads itself, so it also works on channels without auto-read.
private final class Forwarder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let peer: any Channel
    let isSilent: @Sendable () -> Bool

    init(peer: any Channel, isSilent: @escaping @Sendable () -> Bool) {
        self.peer = peer
        self.isSilent = isSilent
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        context.read()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isSilent() else { return }
        peer.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        peer.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
