import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import TestSupport

/// A small real HTTP/1.1 server on 127.0.0.1 and an ephemeral port, answering through a closure:
/// the upstream tool behind the gateway, or a server that sends hand-made (tampered) 402s.
final class TestHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        var uri: String
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]

        init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    /// Answers on the event loop, so the server keeps serving while the test's tasks block (e.g. on a child process).
    typealias Handler = @Sendable (Request) -> Response

    private let channel: any Channel
    /// Requests answered so far.
    var requestCount: Int { counter.withLockedValue { $0 } }
    private let counter: NIOLockedValueBox<Int>

    let port: Int
    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    private init(channel: any Channel, counter: NIOLockedValueBox<Int>) {
        self.channel = channel
        self.counter = counter
        self.port = channel.localAddress?.port ?? 0
    }

    static func start(_ handler: @escaping Handler) async throws -> TestHTTPServer {
        let counter = NIOLockedValueBox(0)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(CollectingHTTPHandler { request, writer in
                        counter.withLockedValue { $0 += 1 }
                        let response = handler(Request(
                            method: request.head.method.rawValue, uri: request.head.uri, headers: request.head.headers, body: request.body))
                        writer.writeWhole(
                            status: HTTPResponseStatus(statusCode: response.status), headers: HTTPHeaders(response.headers), body: response.body)
                    })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestHTTPServer(channel: channel, counter: counter)
    }

    func stop() async throws {
        try await channel.close()
    }
}
