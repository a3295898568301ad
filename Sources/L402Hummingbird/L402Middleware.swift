import HTTPTypes
import Hummingbird
import L402Server
import NIOCore

/// Puts a price on the routes behind it: a call without a valid credential gets `402 Payment
/// Required` with the offers of `pricing.schemes` (L402, and the `Payment` scheme's Lightning
/// `charge`, whose answers then carry `Payment-Receipt`); a paid call (or a free one, when `pricing` grants free calls) runs
/// the handler with the verified token in `context.l402Token`.
///
/// It answers exactly as the gateway does (the same headers, JSON bodies and error codes), because
/// both are the same `Paywall` core. The call is committed (spent, written to the ledger) when the
/// handler returns a response below 500, and released (given back to the token) when the handler
/// throws or answers 5xx, so the client can retry without paying twice.
///
/// ```swift
/// router.group("premium").add(middleware: L402Middleware(paywall: paywall, pricing: Pricing(tool: "premium", sats: 10, calls: 5)))
/// ```
public struct L402Middleware<Context: L402RequestContext>: RouterMiddleware {
    /// The paywall that decides and meters.
    public let paywall: Paywall
    /// The price of the routes behind this middleware.
    public let pricing: Pricing
    /// When set, the body of a request without an L402 credential is read (up to this many bytes;
    /// 413 beyond) and bound to the `Payment` challenge as its `digest`; nil: bodies are not bound.
    public let bindsBodiesUpTo: Int?

    /// Middleware charging `pricing` through `paywall`; `bindsBodiesUpTo` bytes of a request body
    /// are bound to `Payment` challenges (nil: none).
    public init(paywall: Paywall, pricing: Pricing, bindsBodiesUpTo: Int? = nil) {
        self.paywall = paywall
        self.pricing = pricing
        self.bindsBodiesUpTo = bindsBodiesUpTo
    }

    /// Answers 402, 401 or 429 itself, or runs `next` with the verified token in the context and commits or releases the call after it.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let path: String
        do {
            path = try CanonicalPath.canonicalize(Substring(request.uri.path))
        } catch {
            return Response(PaywallResponse.error(status: .badRequest, code: "bad_path", message: error.description, outcome: .refused))
        }
        var request = request
        var body: [UInt8]?
        if let limit = bindsBodiesUpTo {
            do {
                body = try await request.bodyForPaymentBinding(for: pricing, upTo: limit)
            } catch {
                let own = PaywallResponse.unreadableBody(error, limit: limit)
                finish(own.outcome, status: own.status.code, token: nil, reason: own.reason, context: context, started: started)
                return Response(own)
            }
        }
        let decision = await paywall.decide(
            PaywallRequest(method: request.method.rawValue, path: path, headers: request.headers, client: context.clientAddress, body: body),
            pricing: pricing)
        guard let reservation = decision.reservation else {
            let own = decision.response!
            finish(own.outcome, status: own.status.code, token: own.tokenID, reason: own.reason, context: context, started: started)
            return Response(own)
        }
        var context = context
        context.l402Token = reservation.token
        let handlerStarted = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code
            let outcome = await reservation.settle(status: status, latency: ContinuousClock.now - handlerStarted)
            finish(outcome, status: status ?? 500, token: reservation.token?.id, reason: "handler_error", context: context, started: started)
            throw error
        }
        let status = response.status.code
        let outcome = await reservation.settle(status: status, latency: ContinuousClock.now - handlerStarted)
        if outcome != .upstreamError { reservation.addResponseHeaders(to: &response.headers) }
        finish(outcome, status: status, token: reservation.token?.id, reason: outcome == .upstreamError ? "handler_error" : nil, context: context, started: started)
        return response
    }

    private func finish(_ outcome: CallOutcome, status: Int, token: TokenID?, reason: String?, context: Context, started: ContinuousClock.Instant) {
        paywall.finish(tool: pricing.tool, outcome: outcome, status: status, tokenID: token, client: context.clientAddress, reason: reason, since: started)
    }
}

extension Response {
    /// The paywall core's own answer (a challenge, a refusal) as a Hummingbird response.
    public init(_ own: PaywallResponse) {
        self.init(status: own.status, headers: own.headers, body: .init(byteBuffer: ByteBuffer(bytes: own.body)))
    }
}
