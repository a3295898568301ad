import AsyncHTTPClient
import Foundation
import L402
import Gateway
import Storage
import NIOCore
import Synchronization
import TestSupport
import Testing

/// An upstream that sends its head and part of a body, then stalls, must not hold a connection
/// forever: after `upstream_idle_timeout` (default `upstream_timeout`) without a byte, the gateway
/// closes the upstream connection and the client's response ends short.
@Suite struct UpstreamIdleTimeoutTests {
    @Test func aStalledBodyIsCutAndItsConnectionFreed() async throws {
        let upstream = try await StallingHTTPServer.start(announcedBytes: 1 << 20, sentBytes: 1000)
        defer { Task { await upstream.stop() } }
        try await GatewayHarness.with(
            upstreams: [],
            configure: { $0.upstreamTimeoutSeconds = 2 },
            tools: { _ in
                [ToolConfiguration(slug: "stall", upstream: URL(string: "http://127.0.0.1:\(upstream.port)")!, priceSats: 1)]
            }
        ) { gateway in
            let token = try await gateway.buy("/stall/")
            var request = HTTPClientRequest(url: gateway.base + "/stall/")
            request.headers.add(name: "Authorization", value: "L402 \(token.macaroon):\(token.preimage)")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            #expect(response.status == .ok)

            // Read the body in the background: it must end (short, with an error) by itself.
            let outcome = Mutex<(bytes: Int, ended: Bool)>((0, false))
            let reader = Task {
                defer { outcome.withLock { $0.ended = true } }
                for try await chunk in response.body { outcome.withLock { $0.bytes += chunk.readableBytes } }
            }
            // Generous deadline: the bound is 2 s; without it the body never ends.
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, !(outcome.withLock { $0.ended } && upstream.connectionsClosedByPeer > 0) {
                try await Task.sleep(for: .milliseconds(50))
            }
            let (bytes, ended) = outcome.withLock { $0 }
            #expect(ended, "the client's response body still streams from a stalled upstream")
            #expect(bytes == 1000, "the client got the bytes sent before the stall, and no more")
            if !ended { reader.cancel() }
            #expect(await (try? reader.value) == nil, "the response ended short, as an error, not as a complete body")
            #expect(upstream.connectionsClosedByPeer == 1, "the gateway closed its upstream connection")
        }
    }

    @Test func theIdleTimeoutIsItsOwnKeyDefaultingToTheUpstreamTimeout() throws {
        let defaults = try ConfigurationLoader.parse("upstream_timeout: 20\n")
        #expect(defaults.upstreamIdleTimeoutSeconds == nil && defaults.effectiveUpstreamIdleTimeoutSeconds == 20)
        let own = try ConfigurationLoader.parse("upstream_timeout: 20\nupstream_idle_timeout: 5\n")
        #expect(own.effectiveUpstreamIdleTimeoutSeconds == 5)
        for (bad, reason) in [("0", "1...86400"), ("soon", "expected"), ("-3", "1...86400"), ("2.5", "expected")] {
            let error = try #require(throws: ConfigurationError.self) {
                try ConfigurationLoader.parse("upstream_idle_timeout: \(bad)\n", file: "gw.yaml")
            }
            #expect(error.field == "upstream_idle_timeout" && error.line == 1, "\(error)")
            #expect(error.reason.contains(reason), "\(bad): \(error)")
        }
    }
}
