import GRDB
import Synchronization

/// Group commit for the paid path's writes: the reservations and ledger rows of concurrent calls
/// share one SQLite transaction, each in a savepoint of its own, so a burst of N calls costs one
/// commit (its WAL frames, its locks, one trip to GRDB's writer) instead of N.
///
/// Nothing changes for a caller but the cost: its work runs alone on the writer, as with
/// `pool.write` (SQLite has one writer; the items run one after the other), and it hears its result
/// only once the shared transaction has committed. An item that throws is rolled back to its
/// savepoint and fails alone; a transaction that cannot commit fails every item in it.
final class SQLiteGroupCommit: Sendable {
    private let pool: DatabasePool
    /// Work waiting for the writer, and whether a drain is running to take it there.
    private let queue = Mutex<(pending: [Item], draining: Bool)>(([], false))

    init(_ pool: DatabasePool) {
        self.pool = pool
    }

    /// Runs `work` in the next shared transaction and returns its result once that has committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = Outcome<T>()
            enqueue(Item(
                run: { db in
                    do {
                        try db.inSavepoint {
                            outcome.result = .success(try work(db))
                            return .commit
                        }
                    } catch {
                        outcome.result = .failure(error)
                    }
                },
                finish: { commitFailure in
                    if let commitFailure { return continuation.resume(throwing: commitFailure) }
                    continuation.resume(with: outcome.result ?? .failure(CancellationError()))
                }))
        }
    }

    private func enqueue(_ item: Item) {
        let startsDrain = queue.withLock { queue in
            queue.pending.append(item)
            guard !queue.draining else { return false }
            queue.draining = true
            return true
        }
        if startsDrain { Task { await drain() } }
    }

    /// Takes everything waiting into one transaction, again and again, until nothing waits.
    private func drain() async {
        while true {
            let batch = queue.withLock { queue in
                let batch = queue.pending
                queue.pending = []
                if batch.isEmpty { queue.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                try await pool.write { db in
                    for item in batch { item.run(db) }
                }
                for item in batch { item.finish(nil) }
            } catch {
                for item in batch { item.finish(error) }
            }
        }
    }

    /// One caller's work: `run` inside the shared transaction, `finish` after it (with the commit's
    /// error, if it failed).
    private struct Item: Sendable {
        let run: @Sendable (Database) -> Void
        let finish: @Sendable (_ commitFailure: (any Error)?) -> Void
    }

    /// Where `run` leaves an item's result for `finish`: written on the writer, read after the
    /// commit, never at the same time.
    private final class Outcome<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}
