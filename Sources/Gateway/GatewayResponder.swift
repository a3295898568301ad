import Foundation
import Hummingbird
import Lightning
import Logging
import Storage

/// Routes every request: `/_l402/…` to the gateway's own endpoints, `/<slug>/…` to the tool's paywall.
struct GatewayResponder: HTTPResponder {
    typealias Context = GatewayRequestContext

    let tools: [String: ToolConfiguration]
    let paywall: Paywall
    /// Set only with the dev Lightning backend: it serves `POST /_l402/dev/pay` and `GET /_l402/dev/payments/<hash>`.
    let devNode: (any LightningNode)?
    /// Who a request comes from (the peer, or the client a trusted proxy names).
    let clients: ClientAddress
    /// `GET /_l402/metrics`.
    let metrics: MetricsEndpoint

    func respond(to request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let target = RequestTarget(request.head.path ?? "") else {
            return JSONResponse.error(status: .badRequest, code: "bad_target", message: "the request target must be a path")
        }
        if target.hasAmbiguousSegments {
            return JSONResponse.error(
                status: .badRequest, code: "bad_path", message: "the path must not contain '.' or '..' segments or encoded slashes")
        }
        if target.slug == "_l402" { return await ownEndpoint(request, path: target.path) }
        guard let tool = tools[target.slug] else {
            return JSONResponse.error(
                status: .notFound, code: "unknown_tool", message: "no tool is served under /\(target.slug)/")
        }
        let caller = Paywall.Caller(
            peer: context.clientAddress,
            client: clients.resolve(peer: context.clientAddress, forwardedFor: request.headers[values: ClientAddress.forwardedFor]))
        return await paywall.handle(request, tool: tool, target: target, caller: caller)
    }

    private func ownEndpoint(_ request: Request, path: String) async -> Response {
        switch (request.method, path) {
        case (.get, "/health"), (.head, "/health"):
            return JSONResponse.make(status: .ok, ["status": "ok"])
        case (.get, "/metrics"):
            return metrics.respond(to: request)
        case (.post, "/dev/pay"):
            guard let devNode else { break }
            return await DevPayEndpoint(node: devNode).respond(to: request)
        case (.get, _) where path.hasPrefix(DevPaymentLookupEndpoint.pathPrefix):
            guard let devNode else { break }
            return await DevPaymentLookupEndpoint(node: devNode).respond(paymentHashHex: String(path.dropFirst(DevPaymentLookupEndpoint.pathPrefix.count)))
        default:
            break
        }
        return JSONResponse.error(status: .notFound, code: "not_found", message: "no endpoint \(request.method) /_l402\(path)")
    }
}
