import L402
import Foundation
import L402Hummingbird
import L402Server
import Hummingbird
import Lightning
import Logging
import Storage

/// Routes every request: `/_l402/…` to the gateway's own endpoints, `/<slug>/…` to the tool's paywall.
struct GatewayResponder: HTTPResponder {
    typealias Context = GatewayRequestContext

    /// The live tool table (kept current by the admin API and `ToolTableRefresher`).
    let tools: ToolTable
    let toolCalls: ToolCallHandler
    /// Set only with the dev Lightning backend: it serves `POST /_l402/dev/pay` and `GET /_l402/dev/payments/<hash>`.
    let devNode: (any LightningNode)?
    /// Who a request comes from (the peer, or the client a trusted proxy names).
    let clients: ClientAddress
    /// `GET /_l402/metrics`.
    let metrics: MetricsEndpoint
    /// `/_l402/admin/…`.
    let admin: AdminAPI
    /// `/_l402/dashboard*`.
    let dashboard: DashboardEndpoint

    func respond(to request: Request, context: GatewayRequestContext) async throws -> Response {
        let target: RequestTarget
        do {
            target = try RequestTarget(request.head.path ?? "")
        } catch .notAPath {
            return JSONResponse.error(status: .badRequest, code: "bad_target", message: "the request target must be a path")
        } catch .badPath(let failure) {
            return JSONResponse.error(status: .badRequest, code: "bad_path", message: failure.description)
        }
        if target.slug == "_l402" { return await ownEndpoint(request, target: target) }
        guard let tool = tools.tool(slug: target.slug) else {
            return JSONResponse.error(
                status: .notFound, code: "unknown_tool", message: "no tool is served under /\(target.slug)/")
        }
        guard tool.enabled else {
            return JSONResponse.error(
                status: .notFound, code: "tool_disabled", message: "the tool /\(target.slug)/ is disabled by the gateway's operator")
        }
        let caller = ToolCallHandler.Caller(
            peer: context.clientAddress,
            client: clients.resolve(peer: context.clientAddress, forwardedFor: request.headers[values: ClientAddress.forwardedFor]))
        return await toolCalls.handle(request, tool: tool, target: target, caller: caller)
    }

    private func ownEndpoint(_ request: Request, target: RequestTarget) async -> Response {
        let path = target.path
        switch (request.method, path) {
        case (.get, "/health"), (.head, "/health"):
            return JSONResponse.make(status: .ok, ["status": "ok"])
        case (.get, "/metrics"):
            return metrics.respond(to: request)
        case (_, _) where path.hasPrefix("/admin/"):
            return await admin.respond(to: request, path: String(path.dropFirst("/admin".count)), query: target.query)
        case (.post, "/dev/pay"):
            guard let devNode else { break }
            return await DevPayments(node: devNode).pay(request)
        case (.get, _) where path.hasPrefix("/dev/payments/"):
            guard let devNode else { break }
            return Response(await DevPayments(node: devNode).lookup(paymentHashHex: String(path.dropFirst("/dev/payments/".count))))
        case (_, let path) where DashboardEndpoint.handles(path):
            return await dashboard.respond(to: request, path: path)
        default:
            break
        }
        return JSONResponse.error(status: .notFound, code: "not_found", message: "no endpoint \(request.method) /_l402\(path)")
    }
}
