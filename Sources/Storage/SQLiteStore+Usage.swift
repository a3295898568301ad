import GRDB
import L402
import Foundation

extension SQLiteStore: TokenUsageStore {
    /// One UPSERT whose UPDATE branch only runs while `used < limit` (`used` counts committed and
    /// leased calls): it returns a row exactly when a call was taken, with no read-then-write window.
    /// Both branches require the token's root key, so a revoked token cannot start or continue a
    /// count. The lease row is written in the same transaction (shared with concurrent calls'
    /// reservations and commits: `SQLiteGroupCommit`).
    public func reserveCall(for token: TokenID, limit: Int, takenAt: Date) async throws -> CallLease? {
        guard limit > 0 else { return nil }
        let lease = UUID()
        return try await groupCommit.write { db in
            // Runs on every paid call: cached statements are parsed once per connection, not per call.
            let reserve = try db.cachedStatement(
                sql: """
                    INSERT INTO token_usage (token_id, used, leased)
                    SELECT ?1, 1, 1 WHERE EXISTS (SELECT 1 FROM root_keys WHERE token_id = ?1)
                    ON CONFLICT (token_id) DO UPDATE SET used = used + 1, leased = leased + 1
                    WHERE used < ?2 AND EXISTS (SELECT 1 FROM root_keys WHERE token_id = ?1)
                    RETURNING used
                    """)
            guard let used = try Int.fetchOne(reserve, arguments: [Data(token.bytes), Int64(limit)]) else { return nil }
            try db.cachedStatement(sql: "INSERT INTO call_leases (lease_id, token_id, taken_at) VALUES (?, ?, ?)")
                .execute(arguments: [lease.uuidString, Data(token.bytes), takenAt.timeIntervalSince1970])
            return CallLease(id: lease, token: token, takenAt: takenAt, limit: limit, callsUsed: used)
        }
    }

    public func releaseCall(_ lease: CallLease) async throws -> Bool {
        try await pool.write { db in
            guard try Self.deleteLease(lease, db) else { return false }
            try db.execute(
                sql: "UPDATE token_usage SET used = used - 1, leased = leased - 1 WHERE token_id = ? AND leased > 0",
                arguments: [Data(lease.token.bytes)])
            return true
        }
    }

    public func releaseExpiredLeases(takenBefore date: Date) async throws -> Int {
        try await pool.write { db in
            let cutoff: StatementArguments = [date.timeIntervalSince1970]
            try db.execute(
                sql: """
                    UPDATE token_usage SET used = used - expired.n, leased = leased - expired.n
                    FROM (SELECT token_id, count(*) AS n FROM call_leases WHERE taken_at < ? GROUP BY token_id) AS expired
                    WHERE token_usage.token_id = expired.token_id
                    """,
                arguments: cutoff)
            try db.execute(sql: "DELETE FROM call_leases WHERE taken_at < ?", arguments: cutoff)
            return db.changesCount
        }
    }

    public func callsUsed(for token: TokenID) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT used FROM token_usage WHERE token_id = ?", arguments: [Data(token.bytes)]) ?? 0
        }
    }

    /// Deletes the lease's row; true when it existed (it is then this caller's alone to settle).
    static func deleteLease(_ lease: CallLease, _ db: Database) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM call_leases WHERE lease_id = ?").execute(arguments: [lease.id.uuidString])
        return db.changesCount == 1
    }
}

extension SQLiteStore: MeteringStore {
    /// One write transaction, or one savepoint of a transaction shared with concurrent calls
    /// (`SQLiteGroupCommit`); SQLite serializes writers, so no other commit, release or expiry runs
    /// between its statements: a known invocation key ends it at once; otherwise the lease is
    /// deleted and the call counted (or, the lease being gone, a call retaken within its limit), and
    /// the row written with the sats of the token's n-th committed call.
    public func commitCall(_ lease: CallLease, purchase: Purchase, invocation: Invocation) async throws -> CommittedCall {
        try await groupCommit.write { db in
            let recorded = try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM invocations WHERE call_key = ?)"),
                arguments: [invocation.key.uuidString]) ?? false
            if recorded { return .alreadyRecorded }
            let committed: CommittedCall
            if try Self.deleteLease(lease, db) {
                let ordinal = try Int.fetchOne(
                    db.cachedStatement(
                        sql: "UPDATE token_usage SET leased = leased - 1 WHERE token_id = ? AND leased > 0 RETURNING used - leased"),
                    arguments: [Data(lease.token.bytes)])
                committed = ordinal.map { .committed(ordinal: $0, sats: purchase.sats(forCommittedCall: $0)) } ?? .unmetered
            } else {
                let ordinal = try Int.fetchOne(
                    db,
                    sql: """
                        UPDATE token_usage SET used = used + 1
                        WHERE token_id = ?1 AND used < ?2 AND EXISTS (SELECT 1 FROM root_keys WHERE token_id = ?1)
                        RETURNING used - leased
                        """,
                    arguments: [Data(lease.token.bytes), Int64(lease.limit)])
                committed = ordinal.map { .retaken(ordinal: $0, sats: purchase.sats(forCommittedCall: $0)) } ?? .unmetered
            }
            var row = invocation
            row.sats = committed.sats
            try Self.insert(row, db)
            return committed
        }
    }
}
