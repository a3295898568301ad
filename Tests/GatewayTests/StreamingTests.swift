import L402
import AsyncHTTPClient
import Foundation
import NIOCore
import Storage
import Testing

@testable import Gateway

/// 50 MB through a paid call in each direction. The upstream and the client each wait for the
/// other side to see the first bytes before sending the rest: a gateway that buffered whole
/// bodies would stall that handshake (and the test would report it) instead of passing data on.
@Suite struct StreamingTests {
    static let size = 50 * 1024 * 1024

    @Test func fiftyMegabytesStreamBothWays() async throws {
        let upstream = StreamingUpstream()
        try await GatewayHarness.with(
            upstreams: [upstream],
            tools: { ports in [ToolConfiguration(slug: "big", upstream: URL(string: "http://127.0.0.1:\(ports[0])")!, priceSats: 1, calls: 2)] }
        ) { gateway in
            let token = try await gateway.buy("/big/upload")
            let credential = "L402 \(token.macaroon):\(token.preimage)"

            // Upload: send 4 MiB, then hold the rest back until the upstream has seen 1 MiB.
            let upstreamSawEarlyBytes = Latch()
            let body = AsyncStream<ByteBuffer> { sink in
                Task {
                    var offset = 0
                    while offset < Self.size {
                        if offset == 4 << 20 {
                            if await upstream.receivedFirstMegabyte.wait(seconds: 120) { upstreamSawEarlyBytes.set() }
                        }
                        let size = min(StreamingUpstream.chunkSize, Self.size - offset)
                        sink.yield(StreamPattern.chunk.getSlice(at: 0, length: size)!)
                        offset += size
                    }
                    sink.finish()
                }
            }
            var upload = HTTPClientRequest(url: gateway.base + "/big/upload")
            upload.method = .POST
            upload.headers.add(name: "Authorization", value: credential)
            upload.body = .stream(body, length: .known(Int64(Self.size)))
            let uploaded = try await HTTPClient.shared.execute(upload, timeout: .seconds(120))
            #expect(uploaded.status == .ok)
            #expect(String(buffer: try await uploaded.body.collect(upTo: 1024)) == "\(Self.size) 0")
            #expect(await upstreamSawEarlyBytes.wait(seconds: 0), "the upstream saw nothing until the client had sent 4 MiB: request body buffered")

            // Download: the upstream sends 1 MiB, then waits until the client has received bytes.
            var download = HTTPClientRequest(url: gateway.base + "/big/download/\(Self.size)")
            download.headers.add(name: "Authorization", value: credential)
            let response = try await HTTPClient.shared.execute(download, timeout: .seconds(120))
            #expect(response.status == .ok)
            var checker = StreamPattern.Checker()
            for try await chunk in response.body {
                if checker.count == 0 { upstream.clientReceivedFirstBytes.set() }
                checker.check(chunk)
            }
            #expect(checker.count == Self.size && checker.mismatchedChunks == 0)
            #expect(await !upstream.downloadStalled.wait(seconds: 0), "the client got nothing until the upstream had sent everything: response buffered")
        }
    }
}
