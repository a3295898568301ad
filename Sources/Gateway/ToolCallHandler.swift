import Foundation
import HTTPTypes
import Hummingbird
import L402
import L402Hummingbird
import L402Server

/// A request to a tool, through the paywall core: the core decides, this forwards the calls it
/// lets through and commits or releases their reservations by the upstream's outcome.
struct ToolCallHandler: Sendable {
    let paywall: Paywall
    let forwarder: UpstreamForwarder
    /// MCP sessions whose client pays at the MCP level (for tools of `kind: mcp`).
    var mcpSessions = MCPPaymentSessions()

    /// Who sent a request.
    struct Caller: Sendable {
        /// The TCP peer (appended to `X-Forwarded-For` upstream).
        var peer: String?
        /// The client it stands for (see `ClientAddress`); the peer unless it is a trusted proxy.
        var client: String?
    }

    /// Answers a request for `tool`: a free call, a challenge, a refusal, or the upstream's answer to a paid call.
    /// Every request is counted in the metrics and logged once.
    func handle(_ request: Request, tool: ToolConfiguration, target: RequestTarget, caller: Caller) async -> Response {
        if let mcp = tool.mcp {
            return await MCPCallHandler(paywall: paywall, forwarder: forwarder, sessions: mcpSessions)
                .handle(request, tool: tool, pricing: mcp, target: target, caller: caller)
        }
        let started = ContinuousClock.now
        var request = request
        let body: [UInt8]?
        do {
            body = try await request.bodyForPaymentBinding(for: tool.pricing, upTo: forwarder.maxBodyBytes)
        } catch {
            let own = PaywallResponse.unreadableBody(error, limit: forwarder.maxBodyBytes)
            paywall.finish(own, tool: tool.slug, client: caller.client, since: started)
            return Response(own)
        }
        let decision = await paywall.decide(
            PaywallRequest(method: request.method.rawValue, path: target.path, headers: request.headers, client: caller.client, body: body),
            pricing: tool.pricing)
        let answer: (response: Response, outcome: CallOutcome, token: TokenID?, reason: String?)
        switch decision {
        case .challenge(let own), .refusal(let own):
            answer = (Response(own), own.outcome, own.tokenID, own.reason)
        case .free(let reservation), .authorized(let reservation):
            answer = await forward(request, tool: tool, target: target, caller: caller, reservation: reservation)
        }
        paywall.finish(
            tool: tool.slug, outcome: answer.outcome, status: answer.response.status.code, tokenID: answer.token,
            client: caller.client, reason: answer.reason, since: started)
        return answer.response
    }

    /// Forwards a call the client may make (paid or free). When the upstream fails the reservation
    /// is released (the call is given back) and the client gets the failure's status.
    private func forward(
        _ request: Request, tool: ToolConfiguration, target: RequestTarget, caller: Caller, reservation: Reservation
    ) async -> (response: Response, outcome: CallOutcome, token: TokenID?, reason: String?) {
        let started = ContinuousClock.now
        let result = await forwarder.proxy(request, tool: tool, rest: target.rest, clientAddress: caller.peer)
        let latency = ContinuousClock.now - started
        switch result {
        case .success(var response):
            let outcome = await reservation.settle(status: response.status.code, latency: latency)
            if outcome != .upstreamError { reservation.addResponseHeaders(to: &response.headers) }
            return (response, outcome, reservation.token?.id, nil)
        case .failure(let failure):
            await reservation.settle(status: nil, latency: latency)
            let response = JSONResponse.error(
                status: .init(code: failure.httpStatus), code: failure.code, message: failure.description)
            return (response, .upstreamError, reservation.token?.id, failure.code)
        }
    }
}
