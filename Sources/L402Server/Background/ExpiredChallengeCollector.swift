import Foundation
import L402
import Lightning
import Logging
import ServiceLifecycle

/// Deletes what unpaid challenges leave behind once their invoice has expired: root keys of
/// tokens never paid for (and keys past their token's expiry), and the dev node's unpaid invoices.
/// It also prunes the free-call counters of past days, and gives back call leases older than the
/// lease lifetime (their process died or lost them), so their paid calls can be retried.
struct ExpiredChallengeCollector: Service {
    let secrets: any SecretStore
    let devInvoices: (any DevInvoiceStore)?
    let interval: Duration
    let logger: Logger
    /// Counters of free calls; those of days before the current UTC day are deleted.
    var freeCalls: (any FreeCallStore)? = nil
    /// The gateway's clock.
    var now: @Sendable () -> Date = { Date() }
    /// Call counters whose expired leases are given back.
    var leases: (any TokenUsageStore)? = nil
    /// How old a lease must be to be given back.
    var leaseLifetime: Duration = .seconds(300)

    func run() async throws {
        // Sleeping must end with the gateway's graceful shutdown, not after the next interval.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await collect(now: now())
                await giveBackExpiredLeases(now: now())
            }
        }
    }

    /// Gives back the leases taken more than `leaseLifetime` before `now`; returns how many.
    @discardableResult
    func giveBackExpiredLeases(now: Date) async -> Int {
        guard let leases else { return 0 }
        let cutoff = now.addingTimeInterval(-(leaseLifetime / .seconds(1)))
        do {
            let given = try await leases.releaseExpiredLeases(takenBefore: cutoff)
            if given > 0 {
                logger.warning("gave back calls whose leases expired unsettled", metadata: ["leases": "\(given)"])
            }
            return given
        } catch {
            logger.error("could not give back expired call leases", metadata: ["error": "\(error)"])
            return 0
        }
    }

    /// One pass; returns how many keys, dev invoices and past days' free-call counters were deleted.
    @discardableResult
    func collect(now: Date) async -> (secrets: Int, invoices: Int, freeCallCounters: Int) {
        var deleted = (secrets: 0, invoices: 0, freeCallCounters: 0)
        do {
            deleted.secrets = try await secrets.deleteExpiredSecrets(before: now)
            deleted.invoices = try await devInvoices?.deleteUnsettled(expiredBefore: now) ?? 0
            deleted.freeCallCounters = try await freeCalls?.deleteFreeCalls(before: FreeCallDay.string(for: now)) ?? 0
        } catch {
            logger.error("could not collect expired challenges", metadata: ["error": "\(error)"])
        }
        if deleted.secrets + deleted.invoices + deleted.freeCallCounters > 0 {
            logger.debug(
                "collected expired challenges",
                metadata: [
                    "keys": "\(deleted.secrets)", "invoices": "\(deleted.invoices)",
                    "free_call_counters": "\(deleted.freeCallCounters)",
                ])
        }
        return deleted
    }
}
