import Foundation
import L402
import Lightning
import Logging
import ServiceLifecycle

/// Deletes what unpaid challenges leave behind once their invoice has expired: root keys of
/// tokens never paid for (and keys past their token's expiry), and the dev node's unpaid invoices.
/// It also prunes the free-call counters of past days.
struct ExpiredChallengeCollector: Service {
    let secrets: any SecretStore
    let devInvoices: (any DevInvoiceStore)?
    let interval: Duration
    let logger: Logger
    /// Counters of free calls; those of days before the current UTC day are deleted.
    var freeCalls: (any FreeCallStore)? = nil
    /// The gateway's clock.
    var now: @Sendable () -> Date = { Date() }

    func run() async throws {
        // Sleeping must end with the gateway's graceful shutdown, not after the next interval.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await collect(now: now())
            }
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
