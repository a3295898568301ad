import Foundation
import HTTPTypes
import Hummingbird
import L402
import Logging
import Storage

/// The payment side of a tool call: issues challenges, checks credentials, meters paid calls.
struct Paywall: Sendable {
    let minter: Minter
    let authenticator: Authenticator
    let usage: any TokenUsageStore
    let ledger: any InvocationLedger
    let forwarder: UpstreamForwarder
    let logger: Logger

    /// Answers a request for `tool`: a challenge, a refusal, or the upstream's answer to a paid call.
    func handle(_ request: Request, tool: ToolConfiguration, target: RequestTarget, clientAddress: String?) async -> Response {
        let path = target.path.isEmpty ? "/" : target.path
        let price = tool.price(method: request.method.rawValue, path: path)
        guard let authorization = request.headers[.authorization], Self.isL402Scheme(authorization) else {
            // No L402 credential at all (absent, or another scheme such as Bearer): offer one.
            return await challenge(tool: tool, priceSats: price, because: nil)
        }
        let context = RequestContext(tool: tool.slug, method: request.method.rawValue, path: path, now: Date())
        let call: AuthorizedCall
        do {
            call = try await authenticator.authenticate(authorization: authorization, request: context)
        } catch {
            return await refusal(error, tool: tool, priceSats: price)
        }
        guard call.amountSats >= price else {
            // A token bought at a cheaper rule of this tool does not pay for a dearer request.
            await release(call)
            return await challenge(
                tool: tool, priceSats: price,
                because: ("insufficient_amount", "this request costs \(price) sats; the token was paid \(call.amountSats)"))
        }
        let started = ContinuousClock.now
        let result = await forwarder.proxy(request, tool: tool, rest: target.rest, clientAddress: clientAddress)
        let latency = ContinuousClock.now - started
        switch result {
        case .success(let response):
            await record(call, tool: tool, status: response.status.code, latency: latency, charged: true)
            return response
        case .failure(let failure):
            await release(call)
            await record(call, tool: tool, status: nil, latency: latency, charged: false)
            logger.warning("upstream failed", metadata: ["tool": "\(tool.slug)", "reason": "\(failure)"])
            return JSONResponse.error(status: .init(code: failure.httpStatus), code: failure.code, message: failure.description)
        }
    }

    /// A 402 with both `WWW-Authenticate` headers (LSAT first) and the challenge as JSON.
    func challenge(tool: ToolConfiguration, priceSats: UInt64, because reason: (code: String, message: String)?) async -> Response {
        let minted: MintedChallenge
        do {
            minted = try await minter.mint(
                tool: tool.slug, priceSats: priceSats, calls: tool.calls, validForSeconds: tool.validForSeconds,
                memo: tool.description ?? "L402 \(tool.slug)")
        } catch {
            logger.error("could not issue a challenge", metadata: ["tool": "\(tool.slug)", "error": "\(error)"])
            return JSONResponse.error(
                status: .serviceUnavailable, code: "lightning_unavailable",
                message: "the gateway could not issue an invoice right now; retry shortly")
        }
        var headers = HTTPFields()
        for value in minted.headerValues { headers.append(HTTPField(name: .wwwAuthenticate, value: value)) }
        var body = minted.jsonBody
        body.error = reason?.code
        body.message = reason?.message
        return JSONResponse.make(status: .init(code: 402, reasonPhrase: "Payment Required"), body, headers: headers)
    }

    /// 401 with the reason for a credential that does not hold; 402 with a fresh challenge when it is used up.
    private func refusal(_ failure: AuthenticationFailure, tool: ToolConfiguration, priceSats: UInt64) async -> Response {
        if failure == .spent {
            return await challenge(tool: tool, priceSats: priceSats, because: (failure.code, "\(failure)"))
        }
        return JSONResponse.error(status: .init(code: failure.httpStatus), code: failure.code, message: "\(failure)")
    }

    private func release(_ call: AuthorizedCall) async {
        do {
            try await usage.releaseCall(for: call.tokenID)
        } catch {
            logger.error("could not give back a reserved call", metadata: ["token": "\(call.tokenID.hex)", "error": "\(error)"])
        }
    }

    private func record(_ call: AuthorizedCall, tool: ToolConfiguration, status: Int?, latency: Duration, charged: Bool) async {
        let perCall = call.amountSats / UInt64(max(call.callsLimit ?? 1, 1))
        let invocation = Invocation(
            id: nil, time: Date(), tool: tool.slug, tokenID: call.tokenID.hex, sats: charged ? perCall : 0,
            upstreamStatus: status, latencyMs: latency.milliseconds, outcome: charged ? Invocation.Outcome.paid : Invocation.Outcome.upstreamError)
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
