import L402
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import Storage
import Testing

@testable import Gateway

/// The forwarding half of the gateway, over real sockets: client → proxy → upstream.
@Suite struct ProxyTests {
    /// Runs an echo upstream and a proxy that forwards everything under `/t/` to it.
    private func withProxy<T: Sendable>(
        maxBodyBytes: Int = 1 << 20, _ body: @Sendable (_ proxyPort: Int, _ upstreamPort: Int) async throws -> T
    ) async throws -> T {
        try await RunningServer.with(EchoUpstream()) { upstreamPort in
            let tool = ToolConfiguration(slug: "t", upstream: URL(string: "http://127.0.0.1:\(upstreamPort)/base")!, priceSats: 1)
            let forwarder = UpstreamForwarder(poolSize: 4, timeoutSeconds: 10, maxBodyBytes: maxBodyBytes)
            let proxy = CallbackResponder<GatewayRequestContext> { request, context in
                let target = try RequestTarget(request.head.path ?? "/")
                switch await forwarder.proxy(request, tool: tool, rest: target.rest, clientAddress: context.clientAddress) {
                case .success(let response): return response
                case .failure(let failure):
                    return JSONResponse.error(status: .init(code: failure.httpStatus), code: failure.code, message: failure.description)
                }
            }
            defer { Task { try? await forwarder.shutdown() } }
            return try await RunningServer.with(proxy) { proxyPort in try await body(proxyPort, upstreamPort) }
        }
    }

    @Test func forwardsMethodPathQueryHeadersAndBody() async throws {
        try await withProxy { port, _ in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/t/a/b%20c?x=1&y=%2F")
            request.method = .PUT
            request.headers.add(name: "Authorization", value: "L402 secret:00")
            request.headers.add(name: "X-Custom", value: "kept")
            request.headers.add(name: "Connection", value: "keep-alive, X-Drop-Me")
            request.headers.add(name: "X-Drop-Me", value: "hop")
            request.headers.add(name: "Keep-Alive", value: "timeout=5")
            request.headers.add(name: "Proxy-Authorization", value: "Basic abc")
            request.headers.add(name: "X-Forwarded-For", value: "10.1.2.3")
            request.body = .bytes(ByteBuffer(string: "hello upstream"))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(response.status == .ok)
            let echo = try JSONDecoder().decode(EchoUpstream.Echo.self, from: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
            #expect(echo.method == "PUT")
            #expect(echo.path == "/base/a/b%20c?x=1&y=%2F")
            #expect(echo.bodyBytes == 14)
            #expect(echo.headers["x-custom"] == "kept")
            #expect(echo.headers["authorization"] == nil)
            #expect(echo.headers["x-drop-me"] == nil)
            #expect(echo.headers["keep-alive"] == nil)
            #expect(echo.headers["proxy-authorization"] == nil)
            #expect(echo.headers["x-forwarded-for"] == "10.1.2.3, 127.0.0.1")
            #expect(echo.headers["x-forwarded-proto"] == "http")
            #expect(echo.headers["x-forwarded-host"] == "127.0.0.1:\(port)")
            #expect(echo.headers["content-length"] == "14")
        }
    }

    /// A GET without a body must reach the upstream without a body: no chunked framing.
    @Test func bodylessRequestGoesOutWithoutBody() async throws {
        try await withProxy { port, _ in
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/t"), timeout: .seconds(10))
            let echo = try JSONDecoder().decode(EchoUpstream.Echo.self, from: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
            #expect(echo.path == "/base/")
            #expect(echo.headers["transfer-encoding"] == nil)
            #expect(echo.headers["content-length"] == nil || echo.headers["content-length"] == "0")
            #expect(echo.bodyBytes == 0)
        }
    }

    @Test func upstreamServerErrorBecomesGatewayError() async throws {
        try await withProxy { port, _ in
            for (upstream, expected) in [(500, 502), (503, 503), (504, 504), (599, 502)] {
                let response = try await HTTPClient.shared.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/t/status/\(upstream)"), timeout: .seconds(10))
                #expect(Int(response.status.code) == expected)
                let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
                #expect(body.contains("upstream_error"))
            }
            let notFound = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/t/status/404"), timeout: .seconds(10))
            #expect(notFound.status == .notFound)  // 4xx is the tool's answer, passed through
        }
    }

    @Test func oversizedBodyIsRefused() async throws {
        try await withProxy(maxBodyBytes: 1000) { port, _ in
            var declared = HTTPClientRequest(url: "http://127.0.0.1:\(port)/t/x")
            declared.method = .POST
            declared.body = .bytes(ByteBuffer(repeating: 0x61, count: 1001))
            let declaredResponse = try await HTTPClient.shared.execute(declared, timeout: .seconds(10))
            #expect(declaredResponse.status == .payloadTooLarge)

            var chunked = HTTPClientRequest(url: "http://127.0.0.1:\(port)/t/x")
            chunked.method = .POST
            let chunks = AsyncStream<ByteBuffer> { sink in
                for _ in 0..<20 { sink.yield(ByteBuffer(repeating: 0x61, count: 100)) }
                sink.finish()
            }
            chunked.body = .stream(chunks, length: .unknown)
            let chunkedResponse = try await HTTPClient.shared.execute(chunked, timeout: .seconds(10))
            #expect(chunkedResponse.status == .payloadTooLarge)
        }
    }

    @Test func unreachableUpstreamIs502() async throws {
        // Bind a port, then close it: nothing listens there afterwards.
        let deadPort = try await RunningServer.with(EchoUpstream()) { $0 }
        let tool = ToolConfiguration(slug: "t", upstream: URL(string: "http://127.0.0.1:\(deadPort)")!, priceSats: 1)
        let forwarder = UpstreamForwarder(poolSize: 2, timeoutSeconds: 5, connectTimeoutSeconds: 1, maxBodyBytes: 100)
        let proxy = CallbackResponder<GatewayRequestContext> { request, _ in
            switch await forwarder.proxy(request, tool: tool, rest: "/", clientAddress: nil) {
            case .success(let response): return response
            case .failure(let failure): return Response(status: .init(code: failure.httpStatus))
            }
        }
        try await RunningServer.with(proxy) { port in
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/t/"), timeout: .seconds(10))
            #expect(response.status == .badGateway)
        }
        try await forwarder.shutdown()
    }

    @Test(arguments: [
        ("http://u:1", "", "http://u:1/"),
        ("http://u:1/", "/a", "http://u:1/a"),
        ("http://u:1/api", "/a/b?q=1", "http://u:1/api/a/b?q=1"),
        ("http://u:1/api/", "?q=1", "http://u:1/api/?q=1"),
    ])
    func upstreamURLJoinsBaseAndRest(base: String, rest: String, expected: String) {
        #expect(UpstreamForwarder.upstreamURL(base: URL(string: base)!, rest: rest) == expected)
    }

    @Test(arguments: [
        "/t/../admin", "/t/%2e%2E/admin", "/t/a/./b", "/t/a%2Fb", "/../t/x", "/t/a%5C..", "/t/..;/admin", "/t/.;x/y",
        "/t/%2e%2e%3bjsessionid/admin", "/t/a\\b", "/t/a%00b", "/t/a%0Ab", "/t/%zz", "/t/%4",
    ])
    func ambiguousPathsAreRefused(raw: String) {
        #expect(throws: RequestTarget.Failure.self) { try RequestTarget(raw) }
    }

    @Test(arguments: [
        ("/t/%62ulk", "/bulk"), ("/t//bulk", "/bulk"), ("//t///a//b/", "/a/b/"), ("/t/a..b/c.d", "/a..b/c.d"),
        ("/t/a/b?x=../..", "/a/b"), ("/t/", "/"), ("/t/%20", "/%20"), ("/t/%7e%41", "/~A"), ("/t/%3b", "/%3B"),
        ("/t/...", "/..."), ("/t/caf\u{e9}", "/caf%C3%A9"),
    ])
    func pathsTakeOneCanonicalForm(raw: String, path: String) throws {
        #expect(try RequestTarget(raw).path == path)
    }

    @Test(arguments: [
        ("/echo/a/b?x=1", "echo", "/a/b", "x=1"),
        ("/echo", "echo", "", nil),
        ("/echo?x", "echo", "", "x"),
        ("/", "", "", nil),
        ("/_l402/health", "_l402", "/health", nil),
    ])
    func targetSplitsSlugPathQuery(raw: String, slug: String, path: String, query: String?) throws {
        let target = try RequestTarget(raw)
        #expect(target.slug == slug && target.path == path && target.query == query)
    }
}
