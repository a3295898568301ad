import L402
import Foundation
import GRDB

extension SQLiteStore: ToolRegistry {
    private static let columns =
        "slug, upstream, price_sats, calls, valid_for_seconds, description, prices, free_calls_per_day, enabled, mcp, schemes"

    public func allTools() async throws -> [ToolConfiguration] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM tools ORDER BY slug").map { try Self.tool(from: $0) }
        }
    }

    public func tool(slug: String) async throws -> ToolConfiguration? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM tools WHERE slug = ?", arguments: [slug])
                .map { try Self.tool(from: $0) }
        }
    }

    public func addTool(_ tool: ToolConfiguration) async throws -> Bool {
        let row = try ToolRow(tool)
        return try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO tools (\(Self.columns), updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (slug) DO NOTHING
                    """,
                arguments: Self.arguments(row) + [Date().timeIntervalSince1970])
            return db.changesCount == 1
        }
    }

    public func updateTool(_ tool: ToolConfiguration) async throws -> Bool {
        let row = try ToolRow(tool)
        return try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE tools SET upstream = ?2, price_sats = ?3, calls = ?4, valid_for_seconds = ?5, description = ?6,
                        prices = ?7, free_calls_per_day = ?8, enabled = ?9, mcp = ?10, schemes = ?11, updated_at = ?12
                    WHERE slug = ?1
                    """,
                arguments: Self.arguments(row) + [Date().timeIntervalSince1970])
            return db.changesCount == 1
        }
    }

    private static func arguments(_ row: ToolRow) -> StatementArguments {
        [
            row.slug, row.upstream, row.priceSats, row.calls, row.validForSeconds, row.description, row.prices,
            row.freeCallsPerDay, row.enabled, row.mcp, row.schemes,
        ]
    }

    private static func tool(from row: Row) throws -> ToolConfiguration {
        try ToolRow(
            slug: row["slug"], upstream: row["upstream"], priceSats: row["price_sats"], calls: row["calls"],
            validForSeconds: row["valid_for_seconds"], description: row["description"], prices: row["prices"],
            freeCallsPerDay: row["free_calls_per_day"], enabled: row["enabled"], mcp: row["mcp"],
            schemes: row["schemes"]
        ).tool()
    }
}
