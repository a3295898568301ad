import Hummingbird

/// The operator listener (`admin_listen`): `/_l402/admin/…`, `/_l402/dashboard*`, `/_l402/metrics` and
/// `/_l402/health`. Nothing else, and no tools: a tool's page never shares an origin with the dashboard.
struct OperatorResponder: HTTPResponder {
    typealias Context = GatewayRequestContext

    /// `GET /_l402/metrics`.
    let metrics: MetricsEndpoint
    /// `/_l402/admin/…`.
    let admin: AdminAPI
    /// `/_l402/dashboard*`.
    let dashboard: DashboardEndpoint

    func respond(to request: Request, context: GatewayRequestContext) async throws -> Response {
        let target: RequestTarget
        switch OwnEndpoints.target(of: request) {
        case .routed(let routed): target = routed
        case .refused(let refusal): return refusal
        }
        guard target.slug == OwnEndpoints.slug else {
            return JSONResponse.error(
                status: .notFound, code: "not_found",
                message: "this is the gateway's operator listener (admin API, dashboard, metrics); tools are served on the public listener")
        }
        let path = target.path
        switch (request.method, path) {
        case (.get, "/health"), (.head, "/health"):
            return OwnEndpoints.health()
        case (.get, "/metrics"):
            return metrics.respond(to: request)
        case (_, _) where path.hasPrefix("/admin/"):
            return await admin.respond(to: request, path: String(path.dropFirst("/admin".count)), query: target.query)
        case (_, _) where DashboardEndpoint.handles(path):
            return await dashboard.respond(to: request, path: path)
        default:
            return OwnEndpoints.notFound(request, path: path)
        }
    }
}
