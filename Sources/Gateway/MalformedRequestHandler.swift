import HTTPTypes
import L402Server
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request the HTTP/1 parser refused (a head larger than `max_header_bytes`, or malformed)
/// with the gateway's JSON error, 400 `header_too_large` or `bad_request`, and closes the connection.
/// Without it Hummingbird answers such a request with an empty 400.
///
/// It sits right after the HTTP/1 codec. A refused request pipelined behind one whose answer is
/// still being written is answered once that answer has ended, so two answers never mix. An error
/// inside a request that is still arriving (its body) is Hummingbird's to handle, as before.
final class MalformedRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let maxHeaderBytes: Int
    /// A request head was passed on and its response has not ended yet.
    private var answering = false
    /// A request head was passed on and its end has not arrived yet.
    private var receiving = false
    /// A refused request waiting for the answer being written to end.
    private var pending: HTTPParserError?

    init(maxHeaderBytes: Int) {
        self.maxHeaderBytes = maxHeaderBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: (answering, receiving) = (true, true)
        case .body: break
        case .end: receiving = false
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else { return context.write(data, promise: promise) }
        answering = false
        context.write(data, promise: promise)
        if let pending {
            self.pending = nil
            answer(pending, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, !receiving else { return context.fireErrorCaught(error) }
        if answering { pending = parserError } else { answer(parserError, context: context) }
    }

    /// Writes the JSON 400 for `error` and closes the connection once it is out.
    private func answer(_ error: HTTPParserError, context: ChannelHandlerContext) {
        let response = Self.response(to: error, maxHeaderBytes: maxHeaderBytes)
        var fields = response.headers
        fields[.contentLength] = String(response.body.count)
        fields[.connection] = "close"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: response.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: response.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    /// The JSON error for a request the parser refused.
    static func response(to error: HTTPParserError, maxHeaderBytes: Int) -> PaywallResponse {
        switch error {
        case .headerOverflow:
            PaywallResponse.error(
                status: .badRequest, code: "header_too_large",
                message: "the request head is larger than this gateway's limit of \(maxHeaderBytes) bytes (max_header_bytes)")
        default:
            PaywallResponse.error(status: .badRequest, code: "bad_request", message: "malformed HTTP/1.1 request: \(error)")
        }
    }
}
