import Foundation
import NIOCore
import NIOHTTP1

/// Reads one HTTP request at a time and writes the stand-in's answer; stream answers go out as
/// newline-terminated JSON lines, each cut in two writes.
final class LNDStandInHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let standIn: LNDStandIn
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(standIn: LNDStandIn) {
        self.standIn = standIn
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let answer = standIn.answer(method: head.method, uri: head.uri, headers: head.headers, body: body)
            write(answer, version: head.version, context: context)
            self.head = nil
        }
    }

    private func write(_ answer: LNDStandIn.Answer, version: HTTPVersion, context: ChannelHandlerContext) {
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        switch answer {
        case .json(let status, let object):
            let bytes = Self.serialize(object)
            writeWhole(status: status, bytes: bytes, headers: &headers, version: version, context: context)
        case .raw(let status, let text):
            writeWhole(status: status, bytes: Array(text.utf8), headers: &headers, version: version, context: context)
        case .stream(let lines):
            headers.add(name: "Transfer-Encoding", value: "chunked")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .ok, headers: headers))), promise: nil)
            for line in lines {
                let bytes = Self.serialize(line) + [UInt8(ascii: "\n")]
                let cut = bytes.count / 2
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes[..<cut])))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes[cut...])))), promise: nil)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    private func writeWhole(
        status: HTTPResponseStatus, bytes: [UInt8], headers: inout HTTPHeaders, version: HTTPVersion, context: ChannelHandlerContext
    ) {
        headers.add(name: "Content-Length", value: String(bytes.count))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private static func serialize(_ object: Any) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8))
    }
}
