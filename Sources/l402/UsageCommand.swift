import ArgumentParser
import L402Admin

/// `l402 usage`: calls and sats per tool per day, from the gateway's ledger.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Calls and sats earned per tool per UTC day, with totals, also per payment scheme.",
        discussion: """
            DATE is a UTC day (2026-11-25) or an RFC 3339 time (2026-11-25T09:30:00Z); --until with a day
            includes that day. Example: l402 usage --tool weather --since 2026-11-01 --until 2026-11-30
            """
    )

    @OptionGroup var admin: AdminOptions
    @Option(help: "Only this tool.") var tool: String?
    @Option(help: "From this DATE on.") var since: String?
    @Option(help: "Up to this DATE.") var until: String?

    func run() async throws {
        let answer = try await admin.client().send(
            .GET, "usage", query: [("tool", tool), ("since", since), ("until", until)], as: AdminUsageReport.self)
        if admin.json { return print(answer.body) }
        let report = answer.value
        // Paid calls and sats per scheme, in the columns of whatever schemes the gateway reports.
        let schemes = report.total.schemes.keys.sorted()
        let perScheme = schemes.flatMap { ["\($0.uppercased()) PAID", "\($0.uppercased()) SATS"] }
        func figures(_ row: AdminUsage) -> [String] {
            ["\(row.calls)", "\(row.paidCalls)", "\(row.freeCalls)", "\(row.sats)"]
                + schemes.flatMap { ["\(row.schemes[$0]?.paidCalls ?? 0)", "\(row.schemes[$0]?.sats ?? 0)"] }
        }
        var days = TextTable(["DAY", "TOOL", "CALLS", "PAID", "FREE", "SATS"] + perScheme)
        for row in report.days { days.add([row.day ?? "", row.tool ?? ""] + figures(row)) }
        var tools = TextTable(["TOOL", "CALLS", "PAID", "FREE", "SATS"] + perScheme)
        for row in report.tools { tools.add([row.tool ?? ""] + figures(row)) }
        tools.add(["TOTAL"] + figures(report.total))
        print(days.text + "\n\n" + tools.text)
    }
}
