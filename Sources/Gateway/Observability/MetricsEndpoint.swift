import L402
import Hummingbird
import L402Server
import NIOCore

/// `GET /_l402/metrics`: every series of `GatewayMetrics` in the Prometheus text format, for the
/// holder of the admin token only (`Authorization: Bearer <token>`, which Prometheus sends with
/// `authorization: {credentials_file: …}` in a scrape config). Without it: 401.
struct MetricsEndpoint {
    let metrics: PaywallMetrics
    let adminToken: AdminToken

    func respond(to request: Request) -> Response {
        guard adminToken.accepts(authorization: request.headers[.authorization]) else {
            return JSONResponse.error(
                status: .unauthorized, code: "unauthorized",
                message: "the metrics need the admin token: Authorization: Bearer <token>",
                headers: [.wwwAuthenticate: #"Bearer realm="l402-admin""#])
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }
}
