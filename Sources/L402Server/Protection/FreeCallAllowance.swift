import L402
import Foundation
import Logging

/// A tool's daily free calls (`free_calls_per_day`, like Aperture's "freebie"): each client may
/// make that many calls per UTC day without paying before it is asked for payment.
///
/// The counters live in the database (`FreeCallStore`), so gateways sharing one database share
/// the allowance. A store failure never hands out a free call: the client is asked to pay.
struct FreeCallAllowance: Sendable {
    /// One free call taken; give it back with `giveBack` when the upstream fails.
    struct Grant: Sendable {
        let tool: String
        let client: String
        /// The UTC day the call was counted on (a call given back after midnight returns to it).
        let day: String
    }

    let store: any FreeCallStore
    let logger: Logger

    /// Takes one of `tool`'s free calls for `client` on `now`'s UTC day; nil when the tool has no
    /// free calls, the client used them all today, or the store cannot be reached.
    func take(pricing: Pricing, client: String, now: Date) async -> Grant? {
        guard pricing.freeCallsPerDay > 0 else { return nil }
        let grant = Grant(tool: pricing.tool, client: client, day: FreeCallDay.string(for: now))
        do {
            let taken = try await store.takeFreeCall(
                tool: grant.tool, client: grant.client, day: grant.day, limit: pricing.freeCallsPerDay)
            return taken ? grant : nil
        } catch {
            logger.error("could not count a free call", metadata: ["tool": "\(pricing.tool)", "error": "\(error)"])
            return nil
        }
    }

    /// Returns a free call whose upstream failed, so the client can retry it.
    func giveBack(_ grant: Grant) async {
        do {
            try await store.returnFreeCall(tool: grant.tool, client: grant.client, day: grant.day)
        } catch {
            logger.error("could not give back a free call", metadata: ["tool": "\(grant.tool)", "error": "\(error)"])
        }
    }
}
