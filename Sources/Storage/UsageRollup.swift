import Foundation
import L402

/// The usage rollup, table `usage_daily`: the ledger's figures per UTC day, tool and MCP tool, added
/// by a trigger on `invocations` in the transaction that inserts each row. Usage reads then cost days ×
/// tools, not ledger rows. A row an idempotent insert skips (its key is known) fires nothing, and a
/// rolled-back insert takes its addition with it, so the rollup always equals the ledger's sums.
/// Deleting ledger rows leaves the rollup as it is.
///
/// Both schemas' migration 8 builds their trigger and backfill from these definitions: changing them
/// means a new migration, never an edit of the old one.
enum UsageRollup {
    /// The summed columns, and what one ledger row adds to each; `row` prefixes the ledger's
    /// columns (`NEW.` in a trigger). Same meaning as `DailyUsage`: per-scheme sats count every
    /// outcome (failed calls carry 0 sats), per-scheme calls only paid ones.
    static func figures(of row: String) -> [(column: String, value: String)] {
        let paid = "\(row)outcome = 'paid'"
        return [
            ("calls", "1"),
            ("paid_calls", "CASE WHEN \(paid) THEN 1 ELSE 0 END"),
            ("free_calls", "CASE WHEN \(row)outcome = 'free' THEN 1 ELSE 0 END"),
            ("sats", "\(row)sats"),
            ("l402_calls", "CASE WHEN \(paid) AND \(row)scheme = 'l402' THEN 1 ELSE 0 END"),
            ("l402_sats", "CASE WHEN \(row)scheme = 'l402' THEN \(row)sats ELSE 0 END"),
            ("payment_calls", "CASE WHEN \(paid) AND \(row)scheme = 'payment' THEN 1 ELSE 0 END"),
            ("payment_sats", "CASE WHEN \(row)scheme = 'payment' THEN \(row)sats ELSE 0 END"),
        ]
    }

    /// The rollup's key for one ledger row: `mcp` is 1 when the row named an MCP tool (so an empty MCP
    /// tool name stays apart from plain HTTP calls, whose `mcp_tool` is '').
    static func key(of row: String, day: String) -> [(column: String, value: String)] {
        [
            ("day", day), ("tool", "\(row)tool"), ("mcp", "CASE WHEN \(row)mcp_tool IS NULL THEN 0 ELSE 1 END"),
            ("mcp_tool", "coalesce(\(row)mcp_tool, '')"),
        ]
    }

    /// The UPSERT adding the ledger row `NEW` (whose UTC day is `day`) to the rollup; `extraKey`
    /// completes the key (PostgreSQL's shard).
    static func addRow(day: String, extraKey: [(column: String, value: String)] = []) -> String {
        let key = key(of: "NEW.", day: day) + extraKey, figures = figures(of: "NEW.")
        return """
            INSERT INTO usage_daily (\((key + figures).map(\.column).joined(separator: ", ")))
            VALUES (\((key + figures).map(\.value).joined(separator: ", ")))
            ON CONFLICT (\(key.map(\.column).joined(separator: ", "))) DO UPDATE SET
            \(figures.map { "\($0.column) = usage_daily.\($0.column) + excluded.\($0.column)" }.joined(separator: ", "))
            """
    }

    /// Fills the (empty) rollup from the whole ledger; `extraKey` gives constant values to the key's other columns.
    static func backfill(day: String, extraKey: [(column: String, value: String)] = []) -> String {
        let key = key(of: "", day: day), figures = figures(of: "")
        return """
            INSERT INTO usage_daily (\((key + extraKey + figures).map(\.column).joined(separator: ", ")))
            SELECT \((key.map(\.value) + extraKey.map(\.value) + figures.map { "sum(\($0.value))" }).joined(separator: ", "))
            FROM invocations GROUP BY \(key.indices.map { "\($0 + 1)" }.joined(separator: ", "))
            """
    }

    /// The summed figures as a select list (`sum(calls) AS calls, …`); `cast` is appended to each sum.
    static func sums(cast: String = "") -> String {
        figures(of: "").map { "sum(\($0.column))\(cast) AS \($0.column)" }.joined(separator: ", ")
    }
}

/// One piece of a usage query over `[since, until)`: its whole UTC days come from the rollup, the parts
/// of days at either end (bounds that are not midnights) from the ledger's rows, so the figures are exact
/// for any bounds and only those partial days cost rows.
enum UsagePart: Equatable {
    /// Ledger rows at or after `since` and before `until`, both within one UTC day.
    case ledger(since: Date, until: Date)
    /// Rollup days from `firstDay` (inclusive) to `endDay` (exclusive), `YYYY-MM-DD`; nil is unbounded.
    case rollup(firstDay: String?, endDay: String?)

    /// The pieces covering `[since, until)`, in day order (none when the span is empty).
    static func covering(since: Date?, until: Date?) -> [UsagePart] {
        if let since, let until, until <= since { return [] }
        let day = 86_400.0
        func midnight(_ date: Date) -> Date { Date(timeIntervalSince1970: (date.timeIntervalSince1970 / day).rounded(.down) * day) }
        var parts: [UsagePart] = []
        var first = since  // the rollup's first midnight, once `since` is one
        if let since, midnight(since) != since {
            let next = midnight(since).addingTimeInterval(day)
            parts.append(.ledger(since: since, until: until.map { min($0, next) } ?? next))
            first = next
        }
        guard let until else { return parts + [.rollup(firstDay: first.map(FreeCallDay.string(for:)), endDay: nil)] }
        if let first, until <= first { return parts }
        let end = midnight(until)
        if first.map({ end > $0 }) ?? true {
            parts.append(.rollup(firstDay: first.map(FreeCallDay.string(for:)), endDay: FreeCallDay.string(for: end)))
        }
        if until > end { parts.append(.ledger(since: end, until: until)) }
        return parts
    }
}

extension [MCPToolUsage] {
    /// Rows of the same tool and MCP tool (read from several `UsagePart`s) summed, ordered by tool, then
    /// MCP tool, by byte value (as the databases order them).
    func summedPerTool() -> [MCPToolUsage] {
        var sums: [[[UInt8]]: MCPToolUsage] = [:]
        for row in self {
            sums[[[UInt8](row.tool.utf8), [UInt8](row.mcpTool.utf8)], default: MCPToolUsage(tool: row.tool, mcpTool: row.mcpTool, calls: 0, paidCalls: 0, sats: 0)]
                .add(row)
        }
        return sums.values.sorted { lhs, rhs in
            lhs.tool.utf8.elementsEqual(rhs.tool.utf8) ? lhs.mcpTool.utf8.lexicographicallyPrecedes(rhs.mcpTool.utf8) : lhs.tool.utf8.lexicographicallyPrecedes(rhs.tool.utf8)
        }
    }
}

extension MCPToolUsage {
    fileprivate mutating func add(_ other: MCPToolUsage) {
        calls += other.calls
        paidCalls += other.paidCalls
        sats += other.sats
    }
}
