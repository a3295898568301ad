import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import L402
import L402Hummingbird
import L402Server
import NIOCore

/// A request to an MCP tool (`kind: mcp`): its JSON-RPC body is read and checked, `tools/call`
/// requests are priced per MCP tool name (a batch as the sum of its calls), and every other method
/// passes free. A priced request is asked to pay with an HTTP 402, or at the MCP level with a
/// JSON-RPC error `-32042` when the client said it pays that way (see `MCPPaymentSessions`).
///
/// The call is spent only when the upstream answered a priced call with a result that is not
/// `isError: true`; a JSON-RPC error, an `isError` result, a 5xx or no answer releases it.
/// Answers stream through: SSE event by event, JSON whole (it is read to see the outcome).
struct MCPCallHandler: Sendable {
    let paywall: Paywall
    let forwarder: UpstreamForwarder
    let sessions: MCPPaymentSessions

    /// Largest JSON answer read (it is read whole to see whether the call succeeded).
    static let maxAnswerBytes = 16 << 20

    func handle(
        _ request: Request, tool: ToolConfiguration, pricing mcp: MCPPricing, target: RequestTarget, caller: ToolCallHandler.Caller
    ) async -> Response {
        let started = ContinuousClock.now
        // GET (the server's event stream) and DELETE (end of session) carry no tool call.
        guard request.method == .post else { return await passThrough(request, tool: tool, target: target, caller: caller, since: started) }
        var request = request
        let bytes: [UInt8]
        do {
            bytes = Array(buffer: try await request.collectBody(upTo: forwarder.maxBodyBytes))
        } catch {
            let own = PaywallResponse.unreadableBody(error, limit: forwarder.maxBodyBytes)
            paywall.finish(own, tool: tool.slug, client: caller.client, since: started)
            return Response(own)
        }
        let body: MCPRequestBody
        do {
            body = try MCPRequestBody(bytes)
        } catch {
            return refuse(.badRequest, code: error.code, error.description, tool: tool, caller: caller, since: started)
        }
        let forwarded = ByteBuffer(bytes: body.forwardedBytes(original: bytes))
        let priced = body.toolCalls.filter { mcp.price(of: $0.name, defaultSats: tool.priceSats) > 0 }
        let exchange = Exchange(request: request, body: forwarded, tool: tool, target: target, caller: caller, started: started)
        let sessionToRemember = body.declaresPayment
        guard !priced.isEmpty else {
            let watcher = MCPAnswerWatcher(pricedIDs: [], initializeID: body.initializeID, receiptMeta: nil)
            return await forward(exchange, watcher: watcher, reservation: nil, remembersSession: sessionToRemember)
        }
        let names = Array(Set(priced.map(\.name))).sorted()
        let sats = priced.reduce(UInt64(0)) { $0 + mcp.price(of: $1.name, defaultSats: tool.priceSats) }
        let pricing = Pricing(
            tool: tool.slug, sats: sats, calls: tool.calls, validForSeconds: tool.validForSeconds, memo: tool.description,
            freeCallsPerDay: tool.freeCallsPerDay, caveats: mcp.tokenScope == .oneTool ? [.mcpTools(names)] : [],
            schemes: tool.schemes)
        let overMCP = !body.isBatch
            && (body.metaCredential != nil || request.headers[MCPCallHandler.sessionHeader].map(sessions.paysOverMCP) == true)
        let decision = await paywall.decide(
            PaywallRequest(method: "POST", path: target.path, headers: request.headers, client: caller.client, mcpTools: names),
            pricing: pricing,
            authorization: request.headers[.authorization].flatMap { Paywall.isL402Scheme($0) || Paywall.isPaymentScheme($0) ? $0 : nil }
                ?? body.metaCredential)
        switch decision {
        case .challenge(let own), .refusal(let own):
            let response = (overMCP ? MCPPaymentError.response(for: own, id: priced[0].id) : nil) ?? Response(own)
            paywall.finish(own, tool: tool.slug, client: caller.client, since: started)
            return response
        case .free(let reservation), .authorized(let reservation):
            let watcher = MCPAnswerWatcher(
                pricedIDs: Set(priced.map(\.id)), initializeID: body.initializeID, receiptMeta: Self.receiptMeta(for: reservation, now: Date()))
            return await forward(exchange, watcher: watcher, reservation: reservation, remembersSession: sessionToRemember)
        }
    }

    /// `Mcp-Session-Id`, which Streamable HTTP servers name their sessions with.
    static let sessionHeader = HTTPField.Name("Mcp-Session-Id")!

    /// One request on its way: what forwarding and settling it needs.
    private struct Exchange {
        var request: Request
        var body: ByteBuffer
        var tool: ToolConfiguration
        var target: RequestTarget
        var caller: ToolCallHandler.Caller
        var started: ContinuousClock.Instant
    }

    /// Sends the checked body upstream and passes the answer back while `watcher` reads it; then
    /// commits the reservation when a priced call succeeded, or releases it.
    private func forward(_ exchange: Exchange, watcher: MCPAnswerWatcher, reservation: Reservation?, remembersSession: Bool) async -> Response {
        let url = UpstreamForwarder.upstreamURL(base: exchange.tool.upstream, rest: exchange.target.rest)
        let upstream: HTTPClientResponse
        do {
            upstream = try await forwarder.forward(exchange.request, to: url, clientAddress: exchange.caller.peer, body: exchange.body)
        } catch {
            await settle(reservation, succeeded: false, status: nil, exchange: exchange, reason: error.code)
            return JSONResponse.error(status: .init(code: error.httpStatus), code: error.code, message: error.description)
        }
        let status = Int(upstream.status.code)
        if remembersSession, let session = upstream.headers.first(name: Self.sessionHeader.rawName) { sessions.remember(session) }
        var fields = ForwardedHeaders.clientResponseFields(from: upstream.headers)
        fields[.contentLength] = nil  // answers the gateway adds to change length
        let contentType = upstream.headers.first(name: "content-type")?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            let answer: ByteBuffer
            do {
                answer = try await upstream.body.collect(upTo: Self.maxAnswerBytes)
            } catch {
                await settle(reservation, succeeded: false, status: status, exchange: exchange, reason: "upstream_unreadable")
                return JSONResponse.error(
                    status: .badGateway, code: "upstream_unreadable",
                    message: "the MCP server's answer could not be read whole (at most \(Self.maxAnswerBytes) bytes); the call was not charged")
            }
            let original = Array(buffer: answer)
            let bytes = watcher.observe(json: original) ?? original
            await settle(reservation, succeeded: watcher.anySucceeded, status: status, exchange: exchange, reason: nil)
            return Response(status: .init(code: status), headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let isEventStream = contentType.hasPrefix("text/event-stream")
        let body = ResponseBody { writer in
            var events = ServerSentEvents()
            var delivered = false  // a successful priced answer went out to the client
            do {
                for try await chunk in upstream.body {
                    guard isEventStream else {
                        try await writer.write(chunk)
                        continue
                    }
                    for event in try events.append(chunk.readableBytesView) {
                        let rewritten = ServerSentEvents.data(of: event).flatMap(watcher.observe(json:))
                        try await writer.write(ByteBuffer(bytes: rewritten.map { ServerSentEvents.replacingData(of: event, with: $0) } ?? event))
                        delivered = watcher.anySucceeded
                    }
                }
                if !events.remainder.isEmpty { try await writer.write(ByteBuffer(bytes: events.remainder)) }
                try await writer.finish(nil)
            } catch {
                await settle(reservation, succeeded: delivered, status: status, exchange: exchange, reason: "stream_interrupted")
                throw error
            }
            await settle(reservation, succeeded: delivered, status: status, exchange: exchange, reason: nil)
        }
        return Response(status: .init(code: status), headers: fields, body: body)
    }

    /// Commits or releases the call and writes the request's log line and counters.
    @discardableResult
    private func settle(_ reservation: Reservation?, succeeded: Bool, status: Int?, exchange: Exchange, reason: String?) async -> CallOutcome {
        let latency = ContinuousClock.now - exchange.started
        var outcome = CallOutcome.free
        if let reservation {
            if succeeded {
                await reservation.commit(status: status ?? 200, latency: latency)
                outcome = reservation.kind == .paid ? .paid : .free
            } else {
                await reservation.release(status: status, latency: latency)
                outcome = .upstreamError
            }
        }
        paywall.finish(
            tool: exchange.tool.slug, outcome: outcome, status: status ?? 502, tokenID: reservation?.token?.id,
            client: exchange.caller.client, reason: reason ?? (outcome == .upstreamError ? "mcp_call_failed" : nil), since: exchange.started)
        return outcome
    }

    /// A request that carries no tool call (GET, DELETE): forwarded as it is, free.
    private func passThrough(
        _ request: Request, tool: ToolConfiguration, target: RequestTarget, caller: ToolCallHandler.Caller, since started: ContinuousClock.Instant
    ) async -> Response {
        let response: Response
        switch await forwarder.proxy(request, tool: tool, rest: target.rest, clientAddress: caller.peer) {
        case .success(let answer): response = answer
        case .failure(let failure):
            response = JSONResponse.error(status: .init(code: failure.httpStatus), code: failure.code, message: failure.description)
        }
        paywall.finish(
            tool: tool.slug, outcome: .free, status: response.status.code, tokenID: nil, client: caller.client, reason: nil, since: started)
        return response
    }

    /// A body refused before anything was forwarded: 400 or 413, JSON.
    private func refuse(
        _ status: HTTPResponse.Status, code: String, _ message: String, tool: ToolConfiguration, caller: ToolCallHandler.Caller,
        since started: ContinuousClock.Instant
    ) -> Response {
        paywall.finish(tool: tool.slug, outcome: .refused, status: status.code, tokenID: nil, client: caller.client, reason: code, since: started)
        return JSONResponse.error(status: status, code: code, message: message)
    }

    /// What a paid call's successful answer carries in `result._meta`: a `Payment` charge's receipt
    /// under `org.paymentauth/receipt` (the `Payment-Receipt` fields), an L402 call's under
    /// `org.l402/receipt`; nil for a free call.
    static func receiptMeta(for reservation: Reservation, now: Date) -> [String: Any]? {
        guard reservation.kind == .paid, let token = reservation.token else { return nil }
        if reservation.scheme == .payment {
            guard let header = reservation.responseHeaders[.paymentReceipt], let receipt = try? PaymentReceipt(parsing: header) else {
                return nil
            }
            var fields: [String: Any] = [
                "status": receipt.status, "method": receipt.method, "timestamp": receipt.timestamp, "reference": receipt.reference,
            ]
            fields["challengeId"] = receipt.challengeID
            return [MCPAnswerWatcher.paymentReceiptKey: fields]
        }
        var receipt: [String: Any] = [
            "status": "success", "scheme": "L402", "method": "lightning", "timestamp": now.formatted(.iso8601),
            "token_id": token.id.hex, "amount_sats": token.amountSats,
        ]
        if let left = token.callsLeft { receipt["calls_left"] = left }
        return [MCPAnswerWatcher.receiptKey: receipt]
    }
}
