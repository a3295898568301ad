import Foundation
import HTTPTypes
import Hummingbird
import L402
import Logging
import Storage

/// The payment side of a tool call: free calls, challenges (rate limited per client), credential
/// checks and metering. Every request it answers is counted in the metrics and logged once.
struct Paywall: Sendable {
    let minter: Minter
    let authenticator: Authenticator
    let usage: any TokenUsageStore
    let ledger: any InvocationLedger
    let freeCalls: FreeCallAllowance
    let challengeLimiter: ChallengeRateLimiter
    let forwarder: UpstreamForwarder
    let metrics: GatewayMetrics
    let logger: Logger
    /// The gateway's clock: free-call days, rate-limit refills, token expiry, ledger times.
    let now: @Sendable () -> Date

    /// Who sent a request.
    struct Caller: Sendable {
        /// The TCP peer (appended to `X-Forwarded-For` upstream).
        var peer: String?
        /// The client it stands for (see `ClientAddress`); the peer unless it is a trusted proxy.
        var client: String?

        /// What free calls and the rate limit count under (an IPv6 client's /64).
        var accountKey: String? { client.map(ClientAddress.accountKey) }
    }

    /// What the paywall did with one request.
    struct Answer {
        var response: Response
        var outcome: CallOutcome
        var tokenID: TokenID? = nil
        /// A short code saying why (the JSON error code), for the log.
        var reason: String? = nil
    }

    /// Answers a request for `tool`: a free call, a challenge, a refusal, or the upstream's answer to a paid call.
    func handle(_ request: Request, tool: ToolConfiguration, target: RequestTarget, caller: Caller) async -> Response {
        let started = ContinuousClock.now
        let answer = await answer(request, tool: tool, target: target, caller: caller)
        metrics.request(tool: tool.slug, outcome: answer.outcome)
        logger.logRequest(
            tool: tool.slug, outcome: answer.outcome, status: answer.response.status.code, tokenID: answer.tokenID,
            client: caller.client, reason: answer.reason, latency: ContinuousClock.now - started)
        return answer.response
    }

    private func answer(_ request: Request, tool: ToolConfiguration, target: RequestTarget, caller: Caller) async -> Answer {
        let path = target.path.isEmpty ? "/" : target.path
        let price = tool.price(method: request.method.rawValue, path: path)
        guard let authorization = request.headers[.authorization], Self.isL402Scheme(authorization) else {
            // No L402 credential at all (absent, or another scheme such as Bearer): a free call if
            // the client has one left today, else an offer to pay.
            if let client = caller.accountKey, let grant = await freeCalls.take(tool: tool, client: client, now: now()) {
                return await forward(
                    request, tool: tool, target: target, caller: caller, as: .free, token: nil, sats: 0,
                    giveBack: { await freeCalls.giveBack(grant) })
            }
            return await challenge(tool: tool, priceSats: price, because: nil, caller: caller)
        }
        let context = ProtectedRequest(tool: tool.slug, method: request.method.rawValue, path: path, now: now())
        let verificationStarted = ContinuousClock.now
        let call: AuthorizedCall
        do {
            call = try await authenticator.authenticate(authorization: authorization, request: context)
            metrics.verification(ContinuousClock.now - verificationStarted)
        } catch {
            metrics.verification(ContinuousClock.now - verificationStarted)
            var answer = await refusal(error, tool: tool, priceSats: price, caller: caller)
            answer.tokenID = NamedToken.id(in: authorization)
            return answer
        }
        guard call.amountSats >= price else {
            // A token bought at a cheaper rule of this tool does not pay for a dearer request.
            await release(call)
            var answer = await challenge(
                tool: tool, priceSats: price,
                because: ("insufficient_amount", "this request costs \(price) sats; the token was paid \(call.amountSats)"),
                caller: caller)
            answer.tokenID = call.tokenID
            return answer
        }
        let perCall = call.amountSats / UInt64(max(call.callsLimit ?? 1, 1))
        return await forward(
            request, tool: tool, target: target, caller: caller, as: .paid, token: call.tokenID, sats: perCall,
            giveBack: { await release(call) })
    }

    /// Forwards a call the client may make (paid or free) and meters it. When the upstream fails
    /// the call is given back (`giveBack`), recorded as `upstream_error` with 0 sats, and answered
    /// with the failure's status.
    private func forward(
        _ request: Request, tool: ToolConfiguration, target: RequestTarget, caller: Caller,
        as outcome: CallOutcome, token: TokenID?, sats: UInt64, giveBack: () async -> Void
    ) async -> Answer {
        let started = ContinuousClock.now
        let result = await forwarder.proxy(request, tool: tool, rest: target.rest, clientAddress: caller.peer)
        let latency = ContinuousClock.now - started
        metrics.upstream(tool: tool.slug, latency)
        switch result {
        case .success(let response):
            await record(tool: tool, token: token, sats: sats, status: response.status.code, latency: latency, outcome: outcome)
            metrics.earned(tool: tool.slug, sats: sats)
            return Answer(response: response, outcome: outcome, tokenID: token)
        case .failure(let failure):
            await giveBack()
            await record(tool: tool, token: token, sats: 0, status: nil, latency: latency, outcome: .upstreamError)
            return Answer(
                response: JSONResponse.error(status: .init(code: failure.httpStatus), code: failure.code, message: failure.description),
                outcome: .upstreamError, tokenID: token, reason: failure.code)
        }
    }

    /// A 402 with both `WWW-Authenticate` headers (LSAT first) and the challenge as JSON, or a 429
    /// when this client has been issued too many invoices lately.
    private func challenge(
        tool: ToolConfiguration, priceSats: UInt64, because reason: (code: String, message: String)?, caller: Caller
    ) async -> Answer {
        if case .limited(let wait) = challengeLimiter.admit(caller.accountKey ?? "-", now: now()) {
            return Answer(
                response: JSONResponse.error(
                    status: .tooManyRequests, code: "rate_limited",
                    message: "too many payment challenges for this client address; retry in \(wait) s",
                    headers: [.retryAfter: "\(wait)"]),
                outcome: .rateLimited, reason: "rate_limited")
        }
        let minted: MintedChallenge
        do {
            minted = try await minter.mint(
                tool: tool.slug, priceSats: priceSats, calls: tool.calls, validForSeconds: tool.validForSeconds,
                memo: tool.description ?? "L402 \(tool.slug)")
        } catch {
            logger.error("could not issue a challenge", metadata: ["tool": "\(tool.slug)", "error": "\(error)"])
            if error is DatabaseUnavailable {
                return Answer(response: JSONResponse.databaseUnavailable(), outcome: .unavailable, reason: "database_unavailable")
            }
            return Answer(
                response: JSONResponse.error(
                    status: .serviceUnavailable, code: "lightning_unavailable",
                    message: "the gateway could not issue an invoice right now; retry shortly"),
                outcome: .unavailable, reason: "lightning_unavailable")
        }
        metrics.invoiceIssued(tool: tool.slug)
        var headers = HTTPFields()
        for value in minted.headerValues { headers.append(HTTPField(name: .wwwAuthenticate, value: value)) }
        var body = minted.jsonBody
        body.error = reason?.code
        body.message = reason?.message
        return Answer(
            response: JSONResponse.make(status: .init(code: 402, reasonPhrase: "Payment Required"), body, headers: headers),
            outcome: .challenged, reason: reason?.code)
    }

    /// 401 with the reason for a credential that does not hold; 402 with a fresh challenge when it is used up.
    private func refusal(_ failure: AuthenticationFailure, tool: ToolConfiguration, priceSats: UInt64, caller: Caller) async -> Answer {
        if failure == .spent {
            return await challenge(tool: tool, priceSats: priceSats, because: (failure.code, "\(failure)"), caller: caller)
        }
        if case .storeUnavailable(let reason) = failure {
            // The Authenticator's stores are the gateway's database.
            logger.error("could not check a credential", metadata: ["tool": "\(tool.slug)", "error": "\(reason)"])
            return Answer(response: JSONResponse.databaseUnavailable(), outcome: .unavailable, reason: "database_unavailable")
        }
        let status = failure.httpStatus
        return Answer(
            response: JSONResponse.error(status: .init(code: status), code: failure.code, message: "\(failure)"),
            outcome: status == 503 ? .unavailable : .refused, reason: failure.code)
    }

    private func release(_ call: AuthorizedCall) async {
        do {
            try await usage.releaseCall(for: call.tokenID)
        } catch {
            logger.error("could not give back a reserved call", metadata: ["token_id": "\(call.tokenID.hex)", "error": "\(error)"])
        }
    }

    private func record(tool: ToolConfiguration, token: TokenID?, sats: UInt64, status: Int?, latency: Duration, outcome: CallOutcome) async {
        let invocation = Invocation(
            id: nil, time: now(), tool: tool.slug, tokenID: token?.hex, sats: sats,
            upstreamStatus: status, latencyMs: latency.milliseconds, outcome: outcome.ledgerOutcome ?? outcome.rawValue)
        do {
            try await ledger.record(invocation)
        } catch {
            logger.error("could not record an invocation", metadata: ["tool": "\(tool.slug)", "error": "\(error)"])
        }
    }

    /// Whether the Authorization value claims to be an L402 (or LSAT) credential.
    /// Looks at the first bytes only: the header can be kilobytes long and this runs on every call.
    static func isL402Scheme(_ value: String) -> Bool {
        var bytes = value.utf8.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.prefix(5).makeIterator()
        var scheme: [UInt8] = []
        while let byte = bytes.next(), byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") { scheme.append(byte | 0x20) }
        return scheme == Array("l402".utf8) || scheme == Array("lsat".utf8)
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
