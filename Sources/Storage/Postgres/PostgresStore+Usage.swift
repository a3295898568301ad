import Foundation
import L402
import PostgresNIO

extension PostgresStore: TokenUsageStore {
    /// One statement: an UPSERT whose UPDATE branch only runs while `used < limit` (`used` counts
    /// committed and leased calls), and the lease row written from its result. A row comes back exactly
    /// when a call was taken; the row lock taken by the conflict makes concurrent callers queue, so no
    /// read-then-write window exists, across any number of gateways. Both branches require the token's
    /// root key, so a revoked token cannot start or continue a count.
    public func reserveCall(for token: TokenID, limit: Int, takenAt: Date) async throws -> CallLease? {
        guard limit > 0 else { return nil }
        let id = Data(token.bytes), bound = Int64(limit), lease = UUID(), taken = takenAt.timeIntervalSince1970
        let used = try await perform(.once) { connection in
            try await connection.firstRow(
                ReserveCallStatement(token: id, limit: bound, lease: lease, takenAt: taken), logger: self.logger)
        }
        return used.map { CallLease(id: lease, token: token, takenAt: takenAt, limit: limit, callsUsed: $0) }
    }

    /// One statement: the lease's row is deleted by at most one caller, and only that one gives the call back.
    public func releaseCall(_ lease: CallLease) async throws -> Bool {
        try await perform(.idempotent) { connection in
            try await connection.query(
                """
                WITH gone AS (DELETE FROM call_leases WHERE lease_id = \(lease.id) RETURNING token_id),
                counter AS (
                    UPDATE token_usage SET used = used - 1, leased = leased - 1
                    WHERE token_id IN (SELECT token_id FROM gone) AND leased > 0)
                SELECT 1 FROM gone
                """, logger: self.logger
            ).hasRows()
        }
    }

    /// One statement: the expired leases are deleted and each token gets back as many calls as it lost.
    /// A lease a commit deletes concurrently is not among them (its row is gone), so none is settled twice.
    public func releaseExpiredLeases(takenBefore date: Date) async throws -> Int {
        let cutoff = date.timeIntervalSince1970
        return try await perform(.idempotent) { connection in
            try await connection.query(
                """
                WITH expired AS (DELETE FROM call_leases WHERE taken_at < \(cutoff) RETURNING token_id),
                per_token AS (SELECT token_id, count(*) AS n FROM expired GROUP BY token_id),
                counters AS (
                    UPDATE token_usage AS usage SET used = usage.used - per_token.n, leased = usage.leased - per_token.n
                    FROM per_token WHERE usage.token_id = per_token.token_id)
                SELECT count(*) FROM expired
                """, logger: self.logger
            ).single(Int.self)
        }
    }

    public func callsUsed(for token: TokenID) async throws -> Int {
        let id = Data(token.bytes)
        return try await perform(.idempotent) { connection in
            try await connection.query(
                "SELECT COALESCE((SELECT used FROM token_usage WHERE token_id = \(id)), 0)", logger: self.logger
            ).single(Int.self)
        }
    }
}

extension PostgresStore: MeteringStore {
    /// One transaction: the lease deleted and the call counted (or, the lease being gone, a call retaken
    /// within its limit), then the row inserted with the sats of the token's n-th committed call. When a
    /// row with the invocation's key already exists the insert does nothing and the transaction rolls
    /// back, undoing the count: so a retry whose first try did commit (or one racing it: the unique key
    /// makes it wait for the first) changes nothing. That makes the whole operation safe to repeat.
    public func commitCall(_ lease: CallLease, purchase: Purchase, invocation: Invocation) async throws -> CommittedCall {
        let token = Data(lease.token.bytes), limit = Int64(lease.limit)
        return try await perform(.idempotent) { connection in
            try await self.inTransaction(connection) { connection in
                let committed: CommittedCall
                if let ordinal = try await connection.firstRow(
                    CommitLeaseStatement(lease: lease.id, token: token), logger: self.logger)
                {
                    committed = .committed(ordinal: ordinal, sats: purchase.sats(forCommittedCall: ordinal))
                } else if let ordinal = try await connection.firstRow(
                    RetakeCallStatement(token: token, limit: limit), logger: self.logger)
                {
                    committed = .retaken(ordinal: ordinal, sats: purchase.sats(forCommittedCall: ordinal))
                } else {
                    committed = .unmetered
                }
                var row = invocation
                row.sats = committed.sats
                return try await self.insert(row, connection) ? committed : nil
            } ?? .alreadyRecorded
        }
    }

    /// Runs `body` between BEGIN and COMMIT; rolls back when it returns nil or throws (the original
    /// error is rethrown, so an outage is still recognised as one).
    func inTransaction<Value: Sendable>(
        _ connection: PostgresConnection, _ body: (PostgresConnection) async throws -> Value?
    ) async throws -> Value? {
        try await connection.query("BEGIN", logger: logger)
        let value: Value?
        do {
            value = try await body(connection)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
        try await connection.query(value == nil ? "ROLLBACK" : "COMMIT", logger: logger)
        return value
    }
}
