import NIOCore
import NIOHTTP1

/// One HTTP/1.1 request read whole: its head and its body.
public struct CollectedHTTPRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
}

/// The server side of the test servers (the upstream tools, the LND stand-in): collects each
/// request's head and body and, on `.end`, hands the whole request to `respond` with a writer for
/// the answer. Add it after `configureHTTPServerPipeline()`.
public final class CollectingHTTPHandler: ChannelInboundHandler {
    public typealias InboundIn = HTTPServerRequestPart
    public typealias OutboundOut = HTTPServerResponsePart
    /// Called on the channel's event loop; the writer is valid only there.
    public typealias Respond = @Sendable (CollectedHTTPRequest, HTTPResponseWriter) -> Void

    private let respond: Respond
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    public init(respond: @escaping Respond) {
        self.respond = respond
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            self.head = nil
            respond(CollectedHTTPRequest(head: head, body: body), HTTPResponseWriter(context: context, request: head))
        }
    }
}

/// Writes the answer to one `CollectedHTTPRequest`, on the channel's event loop.
public struct HTTPResponseWriter {
    private let context: ChannelHandlerContext
    private let request: HTTPRequestHead

    init(context: ChannelHandlerContext, request: HTTPRequestHead) {
        self.context = context
        self.request = request
    }

    /// The loop to come back to when the answer is computed elsewhere (wrap the writer in `NIOLoopBound`).
    public var eventLoop: any EventLoop { context.eventLoop }

    /// A complete answer with `Content-Length`; the connection is closed after it unless the request asked to keep it.
    public func writeWhole(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: [UInt8]) {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        if !request.isKeepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        writeHead(status: status, headers: headers)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        let done = context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
        if !request.isKeepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// The head of an answer whose body follows in parts (`writeBodyPart`, then `writeEnd`).
    public func writeHead(status: HTTPResponseStatus, headers: HTTPHeaders) {
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
    }

    /// One piece of the body, sent at once.
    public func writeBodyPart(_ bytes: some Sequence<UInt8>) {
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
    }

    /// Ends a body written in parts.
    public func writeEnd() {
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
    }
}
