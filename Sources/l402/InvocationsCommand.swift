import ArgumentParser
import Foundation
import L402Admin

/// `l402 invocations`: the gateway's metered calls, newest first, one page at a time.
struct InvocationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invocations",
        abstract: "The gateway's metered calls, newest first (token ids to revoke are here).",
        discussion: """
            DATE is a UTC day (2026-11-25) or an RFC 3339 time; --until with a day includes that day. \
            When more calls match, the last line tells the --offset of the next page.
            Example: l402 invocations --tool weather --since 2026-11-25 --limit 20
            """
    )

    @OptionGroup var admin: AdminOptions
    @Option(help: "Only this tool.") var tool: String?
    @Option(help: "From this DATE on.") var since: String?
    @Option(help: "Up to this DATE.") var until: String?
    @Option(help: "Calls per page (1-1000).") var limit = 50
    @Option(help: "Calls to skip (from a previous page's next offset).") var offset = 0

    func run() async throws {
        let query = [("tool", tool), ("since", since), ("until", until), ("limit", "\(limit)"), ("offset", "\(offset)")]
        let answer = try await admin.client().send(.GET, "invocations", query: query, as: AdminInvocationPage.self)
        if admin.json { return print(answer.body) }
        var table = TextTable("TIME", "TOOL", "OUTCOME", "SCHEME", "SATS", "STATUS", "MS", "TOKEN")
        for call in answer.value.invocations {
            table.add(
                call.time, call.tool, call.outcome, call.scheme ?? "-", "\(call.sats)", call.upstreamStatus.map(String.init) ?? "-",
                String(format: "%.1f", call.latencyMs), call.tokenID ?? "-")
        }
        print(table.text)
        if let next = answer.value.nextOffset { print("more: --offset \(next)") }
    }
}
