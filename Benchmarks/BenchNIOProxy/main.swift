// A plain HTTP/1.1 reverse proxy on SwiftNIO alone, measured beside nginx and the gateway by
// Benchmarks/cpu.sh: what forwarding costs in Swift when nothing else does, so the floor under a paid
// call's fast path of our own (issue 16). No paywall, database, metrics or logs. Each event loop keeps
// its own keep-alive connections to the upstream; a request is forwarded once its end has arrived, and
// the answer's parts are written back as they come. Not a product: it trusts its one upstream.
//   BenchNIOProxy <listen port> <upstream port>
import NIOCore
import NIOHTTP1
import NIOPosix

/// One event loop's idle connections to the upstream. Only that loop touches it (hence unchecked).
final class UpstreamPool: @unchecked Sendable {
    let eventLoop: any EventLoop
    let port: Int
    private var idle: [any Channel] = []

    init(eventLoop: any EventLoop, port: Int) {
        self.eventLoop = eventLoop
        self.port = port
    }

    func acquire() -> EventLoopFuture<any Channel> {
        while let channel = idle.popLast() {
            if channel.isActive { return eventLoop.makeSucceededFuture(channel) }
        }
        return ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(UpstreamHandler())
                }
            }
            .connect(host: "127.0.0.1", port: port)
    }

    func release(_ channel: any Channel) { idle.append(channel) }
}

/// Reads a client's request and forwards it on a pooled upstream connection of the same event loop.
final class ProxyHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    private let pool: UpstreamPool
    private var head: HTTPRequestHead?
    private var body: [ByteBuffer] = []

    init(pool: UpstreamPool) { self.pool = pool }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.removeAll(keepingCapacity: true)
        case .body(let part):
            body.append(part)
        case .end:
            guard let head else { return }
            let (downstream, parts, pool) = (context.channel, body, pool)
            pool.acquire().whenComplete { result in
                guard case .success(let upstream) = result,
                    let handler = try? upstream.pipeline.syncOperations.handler(type: UpstreamHandler.self)
                else { return downstream.close(promise: nil) }
                handler.downstream = downstream
                handler.pool = pool
                upstream.write(HTTPClientRequestPart.head(head), promise: nil)
                for part in parts { upstream.write(HTTPClientRequestPart.body(.byteBuffer(part)), promise: nil) }
                upstream.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            }
        }
    }
}

/// Writes an upstream answer back to the client whose request it carried, then returns to the pool.
final class UpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    var downstream: (any Channel)?
    var pool: UpstreamPool?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let downstream else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            downstream.write(HTTPServerResponsePart.head(head), promise: nil)
        case .body(let part):
            downstream.write(HTTPServerResponsePart.body(.byteBuffer(part)), promise: nil)
        case .end(let trailers):
            downstream.writeAndFlush(HTTPServerResponsePart.end(trailers), promise: nil)
            self.downstream = nil
            pool?.release(context.channel)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        downstream?.close(promise: nil)
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let listenPort = Int(arguments[1]), let upstreamPort = Int(arguments[2]) else {
    print("usage: BenchNIOProxy <listen port> <upstream port>")
    exit(2)
}
let group = MultiThreadedEventLoopGroup.singleton
var pools: [ObjectIdentifier: UpstreamPool] = [:]
for loop in group.makeIterator() { pools[ObjectIdentifier(loop)] = UpstreamPool(eventLoop: loop, port: upstreamPort) }
let poolsByLoop = pools
let server = try await ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 1024)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline()
            try channel.pipeline.syncOperations.addHandler(ProxyHandler(pool: poolsByLoop[ObjectIdentifier(channel.eventLoop)]!))
        }
    }
    .bind(host: "127.0.0.1", port: listenPort).get()
try await server.closeFuture.get()
