import HTTPTypes
import L402Server
import Vapor

/// Puts a price on the routes behind it, as Vapor 4 middleware: a call without a valid credential
/// gets `402 Payment Required` with the offers of `pricing.schemes` (L402 and `Payment`, which binds
/// a request body Vapor has already collected as its `digest`); a paid call (or a free one, when `pricing` grants
/// free calls) reaches the route with the verified token in `request.l402Token`.
///
/// It answers exactly as the gateway does (the same headers, JSON bodies and error codes), because
/// both are the same `Paywall` core. The call is committed (spent, written to the ledger) when the
/// route answers below 500, and released (given back to the token) when it throws or answers 5xx.
///
/// ```swift
/// app.grouped(L402VaporMiddleware(paywall: paywall, pricing: Pricing(tool: "premium", sats: 10))).get("premium") { req in
///     "calls left: \(req.l402Token?.callsLeft ?? 0)"
/// }
/// ```
public struct L402VaporMiddleware: AsyncMiddleware {
    /// The paywall that decides and meters.
    public let paywall: Paywall
    /// The price of the routes behind this middleware.
    public let pricing: Pricing

    /// Middleware charging `pricing` through `paywall`.
    public init(paywall: Paywall, pricing: Pricing) {
        self.paywall = paywall
        self.pricing = pricing
    }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let client = request.remoteAddress?.ipAddress
        let path: String
        do {
            path = try CanonicalPath.canonicalize(Substring(request.url.path))
        } catch {
            return Response(PaywallResponse.error(status: .badRequest, code: "bad_path", message: error.description))
        }
        let decision = await paywall.decide(
            PaywallRequest(
                method: request.method.rawValue, path: path, headers: HTTPFields(request.headers), client: client,
                body: request.body.data.map { Array(buffer: $0) }),
            pricing: pricing)
        guard let reservation = decision.reservation else {
            let own = decision.response!
            paywall.finish(
                tool: pricing.tool, outcome: own.outcome, status: own.status.code, tokenID: own.tokenID, client: client,
                reason: own.reason, since: started)
            return Response(own)
        }
        request.l402Token = reservation.token
        let handlerStarted = ContinuousClock.now
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            let status = (error as? any AbortError).map { Int($0.status.code) }
            let outcome = await reservation.settle(status: status, latency: ContinuousClock.now - handlerStarted)
            paywall.finish(
                tool: pricing.tool, outcome: outcome, status: status ?? 500, tokenID: reservation.token?.id, client: client,
                reason: "handler_error", since: started)
            throw error
        }
        let status = Int(response.status.code)
        let outcome = await reservation.settle(status: status, latency: ContinuousClock.now - handlerStarted)
        if outcome != .upstreamError {
            for name in Set(reservation.responseHeaders.map(\.name)) {
                response.headers.replaceOrAdd(name: name.rawName, value: reservation.responseHeaders[name] ?? "")
            }
        }
        paywall.finish(
            tool: pricing.tool, outcome: outcome, status: status, tokenID: reservation.token?.id, client: client,
            reason: outcome == .upstreamError ? "handler_error" : nil, since: started)
        return response
    }
}
