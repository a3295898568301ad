import L402
import Foundation
import PostgresNIO

extension PostgresStore: ToolRegistry {
    private static let columns =
        "slug, upstream, price_sats, calls, valid_for_seconds, description, prices, free_calls_per_day, enabled, mcp, schemes"

    /// Sorted by byte value (`COLLATE "C"`), as SQLite sorts, whatever the database's locale.
    public func allTools() async throws -> [ToolConfiguration] {
        try await perform(.idempotent) { connection in
            try await Self.tools(
                connection.query("SELECT \(unescaped: Self.columns) FROM tools ORDER BY slug COLLATE \"C\"", logger: self.logger))
        }
    }

    public func tool(slug: String) async throws -> ToolConfiguration? {
        try await perform(.idempotent) { connection in
            try await Self.tools(
                connection.query("SELECT \(unescaped: Self.columns) FROM tools WHERE slug = \(slug)", logger: self.logger)
            ).first
        }
    }

    public func addTool(_ tool: ToolConfiguration) async throws -> Bool {
        let row = try ToolRow(tool), now = Date().timeIntervalSince1970
        return try await perform(.once) { connection in
            try await connection.query(
                """
                INSERT INTO tools (\(unescaped: Self.columns), updated_at)
                VALUES (\(row.slug), \(row.upstream), \(row.priceSats), \(row.calls), \(row.validForSeconds), \(row.description),
                        \(row.prices), \(row.freeCallsPerDay), \(row.enabled), \(row.mcp), \(row.schemes), \(now))
                ON CONFLICT (slug) DO NOTHING RETURNING 1
                """, logger: self.logger
            ).hasRows()
        }
    }

    /// Idempotent: the same replacement leaves the same row.
    public func updateTool(_ tool: ToolConfiguration) async throws -> Bool {
        let row = try ToolRow(tool), now = Date().timeIntervalSince1970
        return try await perform(.idempotent) { connection in
            try await connection.query(
                """
                UPDATE tools SET upstream = \(row.upstream), price_sats = \(row.priceSats), calls = \(row.calls),
                    valid_for_seconds = \(row.validForSeconds), description = \(row.description), prices = \(row.prices),
                    free_calls_per_day = \(row.freeCallsPerDay), enabled = \(row.enabled), mcp = \(row.mcp), schemes = \(row.schemes),
                    updated_at = \(now)
                WHERE slug = \(row.slug) RETURNING 1
                """, logger: self.logger
            ).hasRows()
        }
    }

    private static func tools(_ rows: PostgresRowSequence) async throws -> [ToolConfiguration] {
        var tools: [ToolConfiguration] = []
        for try await (slug, upstream, price, calls, validFor, description, prices, free, enabled, mcp, schemes) in rows.decode(
            (String, String, Int64, Int64, Int64?, String?, String, Int64, Bool, String?, String?).self)
        {
            tools.append(try ToolRow(
                slug: slug, upstream: upstream, priceSats: price, calls: calls, validForSeconds: validFor,
                description: description, prices: prices, freeCallsPerDay: free, enabled: enabled, mcp: mcp,
                schemes: schemes
            ).tool())
        }
        return tools
    }
}
