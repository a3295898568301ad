import Hummingbird
import L402Server
import NIOCore

/// `GET /_l402/metrics` on the operator listener: Prometheus text (format 0.0.4) with
/// `l402_build_info`, the `process_*` series and every series of the paywall's `PaywallMetrics`.
///
/// Scraping needs no power over tools: on a loopback operator listener it is open; otherwise it takes
/// `Authorization: Bearer <token>` with the admin token or the read-only metrics token (Prometheus
/// sends it with `authorization: {credentials_file: …}`), else 401.
struct MetricsEndpoint {
    let metrics: PaywallMetrics
    /// Tokens that open the metrics; nil: open (the operator listener is on loopback).
    let readers: [AdminToken]?

    init(metrics: PaywallMetrics, adminToken: AdminToken, metricsToken: AdminToken?, openOnLoopback: Bool) {
        self.metrics = metrics
        self.readers = openOnLoopback ? nil : [adminToken] + (metricsToken.map { [$0] } ?? [])
    }

    func respond(to request: Request) -> Response {
        if let readers {
            let authorization = request.headers[.authorization]
            // Check every token, so the time taken does not tell which one came close.
            let accepted = readers.map { $0.accepts(authorization: authorization) }.contains(true)
            guard accepted else {
                return JSONResponse.error(
                    status: .unauthorized, code: "unauthorized",
                    message: "the metrics need the metrics token or the admin token: Authorization: Bearer <token>",
                    headers: [.wwwAuthenticate: #"Bearer realm="l402-metrics""#])
            }
        }
        var page = BuildInfo.family.text
        for family in ProcessMetrics.current()?.families ?? [] { page += family.text }
        var buffer = ByteBuffer(string: page)
        buffer.writeBytes(metrics.exposition())
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: buffer))
    }
}
