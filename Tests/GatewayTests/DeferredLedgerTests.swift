import Foundation
import Logging
import Storage
import TestSupport
import Testing

@testable import Gateway

extension PostgresOutageSuites {
    /// `DeferredLedger` on a real PostgreSQL server (a private cluster) that goes down and comes back:
    /// rows the database refuses wait, in order, and are written once it is back; nothing is lost or doubled.
    @Suite(.enabled(if: TestPostgres.shouldRun)) struct DeferredLedgerTests {
        static func invocation(_ number: Int) -> Invocation {
            Invocation(
                id: nil, time: Date(timeIntervalSince1970: 1_790_000_000 + Double(number)), tool: "deferred", tokenID: nil,
                sats: 1, upstreamStatus: 200, latencyMs: Double(number), outcome: "paid")
        }

        @Test func rowsRefusedWhileTheDatabaseIsDownAreWrittenOnceItIsBack() async throws {
            let cluster = try await PrivatePostgresCluster.start()
            // The test's own budget, not the 5 s default: every operation that must succeed gets 15 s even on a
            // loaded machine; each one while the server is down waits that long before failing (3 of them).
            var settings = try PostgresSettings(url: cluster.databaseURL)
            settings.timeout = .seconds(15)
            let store = PostgresStore(settings: settings)
            do {
                try await store.migrate()
                let ledger = DeferredLedger(store, logger: Logger(label: "test"))
                try await ledger.record(Self.invocation(1))
                #expect(ledger.waitingCount == 0)

                try await cluster.down()
                try await ledger.record(Self.invocation(2))
                try await ledger.record(Self.invocation(3))
                #expect(ledger.waitingCount == 2)
                #expect(await ledger.flush() == 0)
                #expect(ledger.waitingCount == 2)

                try await cluster.up()
                // The pool reconnects on its own; a flush before it has writes nothing and keeps the rows. Flushes
                // fail fast while it reconnects, so they are retried until a deadline, not a number of times.
                var written = 0
                let deadline = ContinuousClock.now + .seconds(120)
                while ledger.waitingCount > 0, ContinuousClock.now < deadline {
                    written += await ledger.flush()
                    if ledger.waitingCount > 0 { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(written == 2 && ledger.waitingCount == 0)
                // Read with psql (a connection of its own): every row once, written in the order of the calls.
                let rows = try await TestPostgres.query(
                    "SELECT latency_ms FROM invocations WHERE tool = 'deferred' ORDER BY id", url: cluster.databaseURL)
                #expect(rows.split(separator: "\n") == ["1", "2", "3"])
            } catch {
                await store.shutdown()
                try? await cluster.stop()
                throw error
            }
            await store.shutdown()
            try await cluster.stop()
        }
    }
}
