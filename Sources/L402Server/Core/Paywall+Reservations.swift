import Foundation
import HTTPTypes
import L402

/// A call paid with a credential of either scheme, its call leased: what committing or releasing needs.
struct PaidCall: Sendable {
    /// The call leased from the token.
    var lease: CallLease
    /// What the token was sold as (a `Payment` charge: one call at its price).
    var purchase: Purchase
    /// The token, as the handler sees it.
    var token: VerifiedToken
    /// The scheme of the credential.
    var scheme: PaymentScheme
}

extension Paywall {
    /// A call paid with an L402 token.
    func paidReservation(_ call: AuthorizedCall, tool: String, mcpTool: String?) -> Reservation {
        let token = VerifiedToken(
            id: call.tokenID, paymentHash: call.paymentHash, caveats: call.caveats, amountSats: call.amountSats,
            callsLimit: call.callsLimit, callsUsed: call.callsUsed, expiresAt: call.expiresAt)
        return paidReservation(
            PaidCall(lease: call.lease, purchase: call.purchase, token: token, scheme: .l402), tool: tool, mcpTool: mcpTool)
    }

    /// A paid call of either scheme: committing spends its lease and books the sats of the token's
    /// n-th call in one transaction; releasing gives the call back.
    func paidReservation(_ call: PaidCall, tool: String, mcpTool: String?, responseHeaders: HTTPFields = [:]) -> Reservation {
        Reservation(
            kind: .paid, tool: tool, token: call.token, scheme: call.scheme, responseHeaders: responseHeaders,
            settler: .init(
                commit: { status, latency in
                    await self.spent(call, tool: tool, mcpTool: mcpTool, status: status, latency: latency)
                },
                release: { status, latency in
                    await self.giveBack(call.lease)
                    await self.failed(
                        tool: tool, mcpTool: mcpTool, token: call.token.id, scheme: call.scheme, status: status, latency: latency)
                }))
    }

    /// A free call of the client's daily allowance.
    func freeReservation(_ grant: FreeCallAllowance.Grant, mcpTool: String? = nil) -> Reservation {
        Reservation(
            kind: .free, tool: grant.tool, token: nil,
            settler: .init(
                commit: { status, latency in
                    await self.served(
                        tool: grant.tool, mcpTool: mcpTool, token: nil, sats: 0, status: status, latency: latency, outcome: .free)
                },
                release: { status, latency in
                    await self.freeCalls.giveBack(grant)
                    await self.failed(tool: grant.tool, mcpTool: mcpTool, token: nil, scheme: nil, status: status, latency: latency)
                }))
    }

    /// Gives a leased call back to its token: the call was not served. If this fails (the database
    /// is down), the lease expires and the call goes back then.
    func giveBack(_ lease: CallLease) async {
        do {
            try await store.releaseCall(lease)
        } catch {
            logger.error("could not give back a reserved call", metadata: ["token_id": "\(lease.token.hex)", "error": "\(error)"])
        }
    }

    /// A paid call was served: its lease is committed with its ledger row (now, or once the database is back).
    private func spent(_ call: PaidCall, tool: String, mcpTool: String?, status: Int, latency: Duration) async {
        metrics.upstream(tool: tool, latency)
        let invocation = Invocation(
            id: nil, time: now(), tool: tool, tokenID: call.token.id.hex, sats: 0, upstreamStatus: status,
            latencyMs: latency.milliseconds, outcome: Invocation.Outcome.paid, mcpTool: mcpTool, scheme: call.scheme.rawValue)
        do {
            guard let committed = try await deferredLedger.commit(call.lease, purchase: call.purchase, invocation: invocation) else {
                return  // waits for the database; counted in the metrics once written
            }
            if case .unmetered = committed {
                logger.warning(
                    "served a call whose lease had been given back and whose token has no call left: booked 0 sats",
                    metadata: ["tool": "\(tool)", "token_id": "\(call.token.id.hex)"])
            }
            metrics.paidCall(tool: tool, scheme: call.scheme.rawValue, sats: committed.sats)
            if let mcpTool { metrics.mcpCall(tool: tool, mcpTool: mcpTool, outcome: .paid, sats: committed.sats) }
        } catch {
            logger.error("could not commit a paid call", metadata: ["tool": "\(tool)", "error": "\(error)"])
        }
    }

    private func served(
        tool: String, mcpTool: String?, token: TokenID?, sats: UInt64, status: Int, latency: Duration, outcome: CallOutcome
    ) async {
        metrics.upstream(tool: tool, latency)
        await record(tool: tool, mcpTool: mcpTool, token: token, scheme: nil, sats: sats, status: status, latency: latency, outcome: outcome)
        if let mcpTool { metrics.mcpCall(tool: tool, mcpTool: mcpTool, outcome: outcome, sats: sats) }
    }

    /// A call that failed upstream: its row names the scheme whose credential was presented, if any.
    private func failed(
        tool: String, mcpTool: String?, token: TokenID?, scheme: PaymentScheme?, status: Int?, latency: Duration
    ) async {
        metrics.upstream(tool: tool, latency)
        await record(
            tool: tool, mcpTool: mcpTool, token: token, scheme: scheme, sats: 0, status: status, latency: latency, outcome: .upstreamError)
        if let mcpTool { metrics.mcpCall(tool: tool, mcpTool: mcpTool, outcome: .upstreamError, sats: 0) }
    }

    private func record(
        tool: String, mcpTool: String?, token: TokenID?, scheme: PaymentScheme?, sats: UInt64, status: Int?, latency: Duration,
        outcome: CallOutcome
    ) async {
        let invocation = Invocation(
            id: nil, time: now(), tool: tool, tokenID: token?.hex, sats: sats, upstreamStatus: status,
            latencyMs: latency.milliseconds, outcome: outcome.ledgerOutcome ?? outcome.rawValue, mcpTool: mcpTool,
            scheme: scheme?.rawValue)
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
