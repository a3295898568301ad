import L402
import Foundation
import Logging
import Storage
import Synchronization
import TestSupport
import Testing

@testable import Gateway
@testable import L402Server

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

        /// A paid call served while the database is down: its commit (lease, count and row, one
        /// transaction) waits and is made once the database is back, with the exact sats of the call;
        /// meanwhile its lease keeps the call from being used again.
        @Test func aCommitRefusedWhileTheDatabaseIsDownIsMadeOnceItIsBack() async throws {
            let cluster = try await PrivatePostgresCluster.start()
            // Its own budget, as above: 15 s for each operation that must succeed on a loaded machine.
            var settings = try PostgresSettings(url: cluster.databaseURL)
            settings.timeout = .seconds(15)
            let store = PostgresStore(settings: settings)
            do {
                try await store.migrate()
                let purchase = Purchase(tool: "deferred", amountSats: 7, calls: 3)
                let token = TokenID.random()
                try await store.storeRootKey(
                    Array(repeating: 7, count: 32), for: token, purchase: purchase, unpaidExpiresAt: Date().addingTimeInterval(600),
                    paidExpiresAt: nil)
                let committed = Mutex<[CommittedCall]>([])
                let ledger = DeferredLedger(store, logger: Logger(label: "test")) { _, call in committed.withLock { $0.append(call) } }
                let first = try #require(try await store.reserveCall(for: token, limit: 3, takenAt: Date()))
                #expect(try await ledger.commit(first, purchase: purchase, invocation: Self.paid(token, scheme: "l402")) == .committed(ordinal: 1, sats: 2))
                let second = try #require(try await store.reserveCall(for: token, limit: 3, takenAt: Date()))

                try await cluster.down()
                #expect(try await ledger.commit(second, purchase: purchase, invocation: Self.paid(token, scheme: "payment")) == nil, "it waits")
                #expect(ledger.waitingCount == 1)

                try await cluster.up()
                var written = 0
                for _ in 0..<20 where ledger.waitingCount > 0 { written += await ledger.flush() }
                #expect(written == 1 && committed.withLock { $0 } == [.committed(ordinal: 2, sats: 2)])
                #expect(try await store.callsUsed(for: token) == 2)
                #expect(try await store.releaseCall(second) == false, "the lease was spent by the late commit")
                let sats = try await TestPostgres.query(
                    "SELECT sum(sats) || '/' || count(*) FROM invocations WHERE tool = 'deferred'", url: cluster.databaseURL)
                #expect(sats == "4/2")
                let schemes = try await TestPostgres.query(
                    "SELECT string_agg(scheme, ',' ORDER BY id) FROM invocations WHERE tool = 'deferred'", url: cluster.databaseURL)
                #expect(schemes == "l402,payment", "the waiting commit keeps its scheme")
            } catch {
                await store.shutdown()
                try? await cluster.stop()
                throw error
            }
            await store.shutdown()
            try await cluster.stop()
        }

        static func paid(_ token: TokenID, scheme: String) -> Invocation {
            Invocation(
                time: Date(), tool: "deferred", tokenID: token.hex, sats: 0, upstreamStatus: 200, latencyMs: 1, outcome: "paid", scheme: scheme)
        }
    }
}
