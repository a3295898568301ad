import Foundation
import L402

extension Paywall {
    /// A paid call: committing books the token's per-call price, releasing gives the call back.
    func paidReservation(_ call: AuthorizedCall, tool: String, mcpTool: String?) -> Reservation {
        let token = VerifiedToken(
            id: call.tokenID, paymentHash: call.paymentHash, caveats: call.caveats, amountSats: call.amountSats,
            callsLimit: call.callsLimit, callsUsed: call.callsUsed, expiresAt: call.expiresAt)
        let sats = call.amountSats / UInt64(max(call.callsLimit ?? 1, 1))
        return Reservation(
            kind: .paid, tool: tool, token: token, sats: sats,
            settler: .init(
                commit: { status, latency in
                    await self.served(
                        tool: tool, mcpTool: mcpTool, token: call.tokenID, sats: sats, status: status, latency: latency, outcome: .paid)
                },
                release: { status, latency in
                    await self.giveBack(call.tokenID)
                    await self.failed(tool: tool, mcpTool: mcpTool, token: call.tokenID, status: status, latency: latency)
                }))
    }

    /// A free call of the client's daily allowance.
    func freeReservation(_ grant: FreeCallAllowance.Grant, mcpTool: String? = nil) -> Reservation {
        Reservation(
            kind: .free, tool: grant.tool, token: nil, sats: 0,
            settler: .init(
                commit: { status, latency in
                    await self.served(
                        tool: grant.tool, mcpTool: mcpTool, token: nil, sats: 0, status: status, latency: latency, outcome: .free)
                },
                release: { status, latency in
                    await self.freeCalls.giveBack(grant)
                    await self.failed(tool: grant.tool, mcpTool: mcpTool, token: nil, status: status, latency: latency)
                }))
    }

    /// Gives a reserved call back to its token: the call was not served.
    func giveBack(_ token: TokenID) async {
        do {
            try await store.releaseCall(for: token)
        } catch {
            logger.error("could not give back a reserved call", metadata: ["token_id": "\(token.hex)", "error": "\(error)"])
        }
    }

    private func served(
        tool: String, mcpTool: String?, token: TokenID?, sats: UInt64, status: Int, latency: Duration, outcome: CallOutcome
    ) async {
        metrics.upstream(tool: tool, latency)
        await record(tool: tool, mcpTool: mcpTool, token: token, sats: sats, status: status, latency: latency, outcome: outcome)
        metrics.earned(tool: tool, sats: sats)
        if let mcpTool { metrics.mcpCall(tool: tool, mcpTool: mcpTool, outcome: outcome, sats: sats) }
    }

    private func failed(tool: String, mcpTool: String?, token: TokenID?, status: Int?, latency: Duration) async {
        metrics.upstream(tool: tool, latency)
        await record(tool: tool, mcpTool: mcpTool, token: token, sats: 0, status: status, latency: latency, outcome: .upstreamError)
        if let mcpTool { metrics.mcpCall(tool: tool, mcpTool: mcpTool, outcome: .upstreamError, sats: 0) }
    }

    private func record(
        tool: String, mcpTool: String?, token: TokenID?, sats: UInt64, status: Int?, latency: Duration, outcome: CallOutcome
    ) async {
        let invocation = Invocation(
            id: nil, time: now(), tool: tool, tokenID: token?.hex, sats: sats, upstreamStatus: status,
            latencyMs: latency.milliseconds, outcome: outcome.ledgerOutcome ?? outcome.rawValue, mcpTool: mcpTool)
        do {
            try await ledger.record(invocation)
        } catch {
            logger.error("could not record an invocation", metadata: ["tool": "\(tool)", "error": "\(error)"])
        }
    }
}

extension Duration {
    /// The duration in (fractional) milliseconds.
    public var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
