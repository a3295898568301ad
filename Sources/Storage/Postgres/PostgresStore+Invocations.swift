import Foundation
import PostgresNIO

extension PostgresStore: InvocationLedger {
    /// Not repeated after a connection broke mid-statement: a lost row is better than a counted-twice call.
    public func record(_ invocation: Invocation) async throws {
        let sats = try invocation.sats.databaseInteger("sats")
        let time = invocation.time.timeIntervalSince1970
        try await perform(.once) { connection in
            try await connection.query(
                """
                INSERT INTO invocations (time, tool, token_id, sats, upstream_status, latency_ms, outcome)
                VALUES (\(time), \(invocation.tool), \(invocation.tokenID), \(sats), \(invocation.upstreamStatus),
                        \(invocation.latencyMs), \(invocation.outcome))
                """, logger: self.logger
            ).drain()
        }
    }

    public func invocations(tool: String?, since: Date?, limit: Int, offset: Int) async throws -> [Invocation] {
        let since = since?.timeIntervalSince1970, limit = max(0, limit), offset = max(0, offset)
        return try await perform(.idempotent) { connection in
            let rows = try await connection.query(
                """
                SELECT id, time, tool, token_id, sats, upstream_status, latency_ms, outcome FROM invocations
                WHERE (\(tool)::text IS NULL OR tool = \(tool)) AND (\(since)::double precision IS NULL OR time >= \(since))
                ORDER BY time DESC, id DESC LIMIT \(limit) OFFSET \(offset)
                """, logger: self.logger)
            var invocations: [Invocation] = []
            for try await (id, time, tool, tokenID, sats, status, latency, outcome) in rows.decode(
                (Int64, Double, String, String?, Int64, Int?, Double, String).self)
            {
                guard let sats = UInt64(exactly: sats) else { throw StorageError.corruptRow("negative sats") }
                invocations.append(Invocation(
                    id: id, time: Date(timeIntervalSince1970: time), tool: tool, tokenID: tokenID, sats: sats,
                    upstreamStatus: status, latencyMs: latency, outcome: outcome))
            }
            return invocations
        }
    }
}
