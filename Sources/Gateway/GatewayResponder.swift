import L402
import Foundation
import L402Hummingbird
import L402Server
import Hummingbird
import Lightning
import Logging
import Storage

/// The public listener: `/<slug>/…` to the tool's paywall, and of the gateway's own endpoints only
/// `/_l402/health` and, with the dev node, `/_l402/dev/…`. Every other `/_l402/` path is 404 here: the
/// admin API, dashboard and metrics are on the operator listener (`OperatorResponder`).
struct GatewayResponder: HTTPResponder {
    typealias Context = GatewayRequestContext

    /// The live tool table (kept current by the admin API and `ToolTableRefresher`).
    let tools: ToolTable
    let toolCalls: ToolCallHandler
    /// Set only with the dev Lightning backend: it serves `POST /_l402/dev/pay` and `GET /_l402/dev/payments/<hash>`.
    let devNode: (any LightningNode)?
    /// Who a request comes from (the peer, or the client a trusted proxy names).
    let clients: ClientAddress

    func respond(to request: Request, context: GatewayRequestContext) async throws -> Response {
        let target: RequestTarget
        switch OwnEndpoints.target(of: request) {
        case .routed(let routed): target = routed
        case .refused(let refusal): return refusal
        }
        if target.slug == OwnEndpoints.slug { return await ownEndpoint(request, target: target) }
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
            return OwnEndpoints.health()
        case (.post, "/dev/pay"):
            guard let devNode else { break }
            return await DevPayments(node: devNode).pay(request)
        case (.get, _) where path.hasPrefix("/dev/payments/"):
            guard let devNode else { break }
            return Response(await DevPayments(node: devNode).lookup(paymentHashHex: String(path.dropFirst("/dev/payments/".count))))
        default:
            break
        }
        return OwnEndpoints.notFound(request, path: path)
    }
}
