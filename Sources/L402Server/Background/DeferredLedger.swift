import L402
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The invocation ledger in front of the database, so a paid call answered while the database is
/// unreachable is still metered: a row — or a paid call's commit — the database refuses as
/// unavailable waits in memory (oldest first, at most `capacity`) and is written once the database
/// is back. The `run()` service retries every `interval` and once more at shutdown.
///
/// A commit stays one transaction (lease, count and row) when it is retried; while it waits its lease
/// stays in the database, so the call is neither lost nor reusable. If the wait outlasts the lease
/// lifetime, the lease is given back and the retried commit takes the call again if the token still
/// has one (see `MeteringStore.commitCall`). A write whose first try reached the database just before
/// the connection broke is not made twice: the retry carries the invocation's `key`. Limit: writes
/// still waiting when the process dies are lost (they are logged as they wait); their leases then
/// expire and the calls go back to their tokens.
final class DeferredLedger: InvocationLedger, Service {
    /// A write the database refused as unavailable.
    enum Pending: Sendable {
        case row(Invocation)
        case commit(CallLease, Purchase, Invocation)

        var invocation: Invocation {
            switch self {
            case .row(let invocation), .commit(_, _, let invocation): invocation
            }
        }
    }

    private let store: any MeteringStore
    private let capacity: Int
    private let interval: Duration
    private let logger: Logger
    private let committedLater: @Sendable (Invocation, CommittedCall) -> Void
    private let waiting = Mutex<[Pending]>([])

    /// `committedLater` is told of each commit written after waiting (for the metrics).
    init(
        _ store: any MeteringStore, capacity: Int = 100_000, interval: Duration = .seconds(1), logger: Logger,
        committedLater: @escaping @Sendable (Invocation, CommittedCall) -> Void = { _, _ in }
    ) {
        self.store = store
        self.capacity = capacity
        self.interval = interval
        self.logger = logger
        self.committedLater = committedLater
    }

    /// Writes waiting for the database.
    var waitingCount: Int { waiting.withLock { $0.count } }

    func record(_ invocation: Invocation) async throws {
        if waiting.withLock({ $0.isEmpty }) {
            do {
                return try await store.record(invocation)
            } catch is DatabaseUnavailable {}
        }
        keep(.row(invocation))
    }

    /// Commits a paid call's lease with its row (`MeteringStore.commitCall`); nil when the database is
    /// unavailable and the commit waits. Other errors are thrown (the lease then expires).
    func commit(_ lease: CallLease, purchase: Purchase, invocation: Invocation) async throws -> CommittedCall? {
        if waiting.withLock({ $0.isEmpty }) {
            do {
                return try await store.commitCall(lease, purchase: purchase, invocation: invocation)
            } catch is DatabaseUnavailable {}
        }
        keep(.commit(lease, purchase, invocation))
        return nil
    }

    /// Behind writes already waiting, so the ledger keeps the order of the calls.
    private func keep(_ pending: Pending) {
        let kept = waiting.withLock { writes in
            guard writes.count < capacity else { return false }
            writes.append(pending)
            return true
        }
        let invocation = pending.invocation
        guard kept else {
            logger.error("ledger row dropped: the database is unavailable and \(capacity) rows already wait", metadata: [
                "tool": "\(invocation.tool)", "token_id": "\(invocation.tokenID ?? "")",
            ])
            return
        }
        logger.warning("ledger row kept until the database is back", metadata: ["tool": "\(invocation.tool)"])
    }

    /// Writes the waiting rows and commits in order; stops at the first one the database refuses
    /// (it stays first). Returns how many were written.
    @discardableResult
    func flush() async -> Int {
        var written = 0
        while let next = waiting.withLock({ $0.first }) {
            do {
                switch next {
                case .row(let invocation):
                    try await store.record(invocation)
                case .commit(let lease, let purchase, let invocation):
                    committedLater(invocation, try await store.commitCall(lease, purchase: purchase, invocation: invocation))
                }
            } catch {
                if !(error is DatabaseUnavailable) {
                    logger.error("ledger row dropped", metadata: ["tool": "\(next.invocation.tool)", "error": "\(error)"])
                    _ = waiting.withLock { $0.removeFirst() }
                }
                break
            }
            _ = waiting.withLock { $0.removeFirst() }
            written += 1
        }
        return written
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: self.interval)
                await self.flush()
            }
        }
        await flush()
        if waitingCount > 0 {
            logger.error("ledger rows lost at shutdown: the database is unavailable", metadata: ["rows": "\(waitingCount)"])
        }
    }

    func invocations(tool: String?, since: Date?, until: Date?, limit: Int, offset: Int) async throws -> [Invocation] {
        try await store.invocations(tool: tool, since: since, until: until, limit: limit, offset: offset)
    }

    func dailyUsage(tool: String?, since: Date?, until: Date?) async throws -> [DailyUsage] {
        try await store.dailyUsage(tool: tool, since: since, until: until)
    }

    func mcpToolUsage(since: Date?, until: Date?) async throws -> [MCPToolUsage] {
        try await store.mcpToolUsage(since: since, until: until)
    }
}
