import Foundation
import L402
import Logging
import PostgresNIO

// The statements every paid call runs, as named prepared statements: postgres-nio prepares each once
// per pooled connection, so PostgreSQL parses and plans them once instead of on every call (a third
// of its CPU per paid call went to parsing, analysing and planning these few statements). The types
// are declared, not inferred from the first call's values: a first NULL would leave a parameter's
// type to the server (an `integer` column), and a later 8-byte value would not fit it.

/// Takes a call of `token` within `limit` and writes its lease (see `PostgresStore.reserveCall`).
/// Returns `used` after the increment; no row when no call was taken.
struct ReserveCallStatement: IntegerRowStatement {
    static let bindingDataTypes: [PostgresDataType] = [.bytea, .int8, .uuid, .float8]
    static let sql = """
        WITH taken AS (
            INSERT INTO token_usage AS usage (token_id, used, leased)
            SELECT $1, 1, 1 WHERE EXISTS (SELECT 1 FROM root_keys WHERE token_id = $1)
            ON CONFLICT (token_id) DO UPDATE SET used = usage.used + 1, leased = usage.leased + 1
            WHERE usage.used < $2 AND EXISTS (SELECT 1 FROM root_keys WHERE token_id = $1)
            RETURNING usage.used),
        lease AS (INSERT INTO call_leases (lease_id, token_id, taken_at) SELECT $3, $1, $4 FROM taken)
        SELECT used FROM taken
        """
    var token: Data
    var limit: Int64
    var lease: UUID
    var takenAt: Double

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        try bindings.append(token)
        bindings.append(limit)
        bindings.append(lease)
        bindings.append(takenAt)
        return bindings
    }
}

/// Deletes a lease and turns its call from leased into committed. Returns the call's ordinal among the
/// token's committed calls; no row when the lease was gone.
struct CommitLeaseStatement: IntegerRowStatement {
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .bytea]
    static let sql = """
        WITH lease AS (DELETE FROM call_leases WHERE lease_id = $1 RETURNING token_id)
        UPDATE token_usage SET leased = leased - 1
        WHERE token_id = $2 AND leased > 0 AND EXISTS (SELECT 1 FROM lease)
        RETURNING used - leased
        """
    var lease: UUID
    var token: Data

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(lease)
        try bindings.append(token)
        return bindings
    }
}

/// Counts a committed call whose lease was given back meanwhile, within `limit` and only while the
/// token's root key exists. Returns the call's ordinal; no row when none was left.
struct RetakeCallStatement: IntegerRowStatement {
    static let bindingDataTypes: [PostgresDataType] = [.bytea, .int8]
    static let sql = """
        UPDATE token_usage SET used = used + 1
        WHERE token_id = $1 AND used < $2 AND EXISTS (SELECT 1 FROM root_keys WHERE token_id = $1)
        RETURNING used - leased
        """
    var token: Data
    var limit: Int64

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        try bindings.append(token)
        bindings.append(limit)
        return bindings
    }
}

/// Writes a ledger row unless one with its key exists. Returns a row exactly when it wrote one.
struct InsertInvocationStatement: IntegerRowStatement {
    static let bindingDataTypes: [PostgresDataType] = [.float8, .text, .text, .int8, .int8, .float8, .text, .uuid, .text, .text]
    static let sql = """
        INSERT INTO invocations (time, tool, token_id, sats, upstream_status, latency_ms, outcome, request_key, mcp_tool, scheme)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (request_key) DO NOTHING RETURNING 1
        """
    var invocation: Invocation
    /// The row's sats, checked to fit the column.
    var sats: Int64

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 10)
        bindings.append(invocation.time.timeIntervalSince1970)
        bindings.append(invocation.tool)
        bindings.append(invocation.tokenID)
        bindings.append(sats)
        bindings.append(invocation.upstreamStatus)
        bindings.append(invocation.latencyMs)
        bindings.append(invocation.outcome)
        bindings.append(invocation.key)
        bindings.append(invocation.mcpTool)
        bindings.append(invocation.scheme)
        return bindings
    }
}

/// A statement whose rows are one integer column (a count, an ordinal, or `RETURNING 1`).
protocol IntegerRowStatement: PostgresPreparedStatement where Row == Int {}

extension IntegerRowStatement {
    func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }
}

extension PostgresConnection {
    /// The first row of a prepared statement's result, which is read to its end; nil when it has none.
    func firstRow<Statement: PostgresPreparedStatement>(
        _ statement: Statement, logger: Logger
    ) async throws -> Statement.Row? where Statement.Row: Sendable {
        var first: Statement.Row?
        for try await row in try await execute(statement, logger: logger) where first == nil { first = row }
        return first
    }
}
