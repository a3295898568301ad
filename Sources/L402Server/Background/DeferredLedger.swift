import L402
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The invocation ledger in front of the database, so a paid call answered while the database is
/// unreachable is still metered: a row the database refuses as unavailable waits in memory (oldest
/// first, at most `capacity` rows) and is written once the database is back. The `run()` service
/// retries every `interval` and once more at shutdown.
///
/// A row whose insert reached the database just before the connection broke is not written twice:
/// the retry carries the invocation's `key`. Limit: rows still waiting when the process dies are lost
/// (they are logged as they wait).
final class DeferredLedger: InvocationLedger, Service {
    private let ledger: any InvocationLedger
    private let capacity: Int
    private let interval: Duration
    private let logger: Logger
    private let waiting = Mutex<[Invocation]>([])

    init(_ ledger: any InvocationLedger, capacity: Int = 100_000, interval: Duration = .seconds(1), logger: Logger) {
        self.ledger = ledger
        self.capacity = capacity
        self.interval = interval
        self.logger = logger
    }

    /// Rows waiting for the database.
    var waitingCount: Int { waiting.withLock { $0.count } }

    func record(_ invocation: Invocation) async throws {
        // Behind rows already waiting, so the ledger keeps the order of the calls.
        if waiting.withLock({ $0.isEmpty }) {
            do {
                return try await ledger.record(invocation)
            } catch is DatabaseUnavailable {}
        }
        let kept = waiting.withLock { rows in
            guard rows.count < capacity else { return false }
            rows.append(invocation)
            return true
        }
        guard kept else {
            logger.error("ledger row dropped: the database is unavailable and \(capacity) rows already wait", metadata: [
                "tool": "\(invocation.tool)", "token_id": "\(invocation.tokenID ?? "")",
            ])
            return
        }
        logger.warning("ledger row kept until the database is back", metadata: ["tool": "\(invocation.tool)"])
    }

    /// Writes the waiting rows in order; stops at the first one the database refuses (it stays first).
    /// Returns how many were written.
    @discardableResult
    func flush() async -> Int {
        var written = 0
        while let next = waiting.withLock({ $0.first }) {
            do {
                try await ledger.record(next)
            } catch {
                if !(error is DatabaseUnavailable) {
                    logger.error("ledger row dropped", metadata: ["tool": "\(next.tool)", "error": "\(error)"])
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
        try await ledger.invocations(tool: tool, since: since, until: until, limit: limit, offset: offset)
    }

    func dailyUsage(tool: String?, since: Date?, until: Date?) async throws -> [DailyUsage] {
        try await ledger.dailyUsage(tool: tool, since: since, until: until)
    }

    func mcpToolUsage(since: Date?, until: Date?) async throws -> [MCPToolUsage] {
        try await ledger.mcpToolUsage(since: since, until: until)
    }
}
