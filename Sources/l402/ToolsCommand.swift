import ArgumentParser
import Foundation
import L402Admin

/// `l402 tools …`: the gateway's tool registry through its admin API.
struct ToolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools",
        abstract: "List, add, change, disable and enable the tools a running gateway serves.",
        discussion: """
            Talks to the gateway's admin API on its operator listener (--gateway, default http://127.0.0.1:8403) with its admin token \
            (--admin-token, $L402_ADMIN_TOKEN, or <--data-dir>/admin.token). Changes apply at once.

            Examples:
              l402 tools list
              l402 tools add weather --upstream http://127.0.0.1:7000 --price-sats 10 \\
                --price "POST /bulk=50"
              l402 tools update weather --price-sats 12 --free-calls-per-day 3
              l402 tools disable weather
            """,
        subcommands: [List.self, Add.self, Update.self, Disable.self, Enable.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per registered tool.")
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            let answer = try await admin.client().send(.GET, "tools", as: AdminToolList.self)
            if admin.json { return print(answer.body) }
            var table = TextTable("SLUG", "STATE", "PRICE", "CALLS", "VALID FOR", "FREE/DAY", "UPSTREAM")
            for tool in answer.value.tools {
                let rules = tool.prices.isEmpty ? "" : " (+\(tool.prices.count) rule\(tool.prices.count == 1 ? "" : "s"))"
                table.add(
                    tool.slug, tool.enabled ? "enabled" : "disabled", "\(tool.priceSats) sats\(rules)", "\(tool.calls)",
                    tool.validFor.map { "\($0) s" } ?? "-", "\(tool.freeCallsPerDay)", tool.upstream)
            }
            print(table.text)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a new tool.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The tool's slug: it is served under /<slug>/.") var slug: String
        @OptionGroup var fields: ToolFieldOptions

        func validate() throws {
            if fields.upstream == nil || fields.priceSats == nil { throw ValidationError("a new tool needs --upstream and --price-sats") }
        }

        func run() async throws {
            var body = try fields.body()
            body["slug"] = slug
            let answer = try await admin.client().send(.POST, "tools", body: body, as: AdminTool.self)
            print(admin.json ? answer.body : "added /\(answer.value.slug)/")
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change some fields of a tool (the others keep their values).")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The tool's slug.") var slug: String
        @OptionGroup var fields: ToolFieldOptions

        func run() async throws {
            let body = try fields.body()
            guard !body.isEmpty else { throw ValidationError("nothing to change: give at least one option (see --help)") }
            let answer = try await admin.client().send(.PATCH, "tools/\(slug)", body: body, as: AdminTool.self)
            print(admin.json ? answer.body : "updated /\(answer.value.slug)/")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop serving a tool (it answers 404 tool_disabled); its history stays.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The tool's slug.") var slug: String

        func run() async throws { try await switchTool(slug, to: "disable", admin: admin) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve a disabled tool again.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The tool's slug.") var slug: String

        func run() async throws { try await switchTool(slug, to: "enable", admin: admin) }
    }
}

/// `POST tools/<slug>/<action>` (`enable` or `disable`), then says what was done.
private func switchTool(_ slug: String, to action: String, admin: AdminOptions) async throws {
    let answer = try await admin.client().send(.POST, "tools/\(slug)/\(action)", as: AdminTool.self)
    print(admin.json ? answer.body : "\(action)d /\(answer.value.slug)/")
}

/// The tool fields `tools add` and `tools update` can set; the gateway checks them (the same rules as the config file).
struct ToolFieldOptions: ParsableArguments {
    @Option(help: "The tool's base URL (http or https).") var upstream: String?
    @Option(name: .customLong("price-sats"), help: "Price of one token, in sats.") var priceSats: Int?
    @Option(help: "Calls one token allows.") var calls: Int?
    @Option(name: .customLong("valid-for"), help: "Seconds a token stays valid after it is issued.") var validFor: Int?
    @Flag(name: .customLong("no-valid-for"), help: "Tokens stay valid until their calls are used.") var noValidFor = false
    @Option(help: "Description (the invoice memo).") var description: String?
    @Option(name: .customLong("free-calls-per-day"), help: "Free calls per client IP per UTC day.") var freeCallsPerDay: Int?
    @Option(
        name: .customLong("price"),
        help: "A price rule \"[METHOD] [/path-prefix]=SATS\", e.g. \"POST /bulk=50\" (repeatable; replaces the tool's rules).")
    var prices: [String] = []
    @Flag(name: .customLong("no-prices"), help: "Remove the tool's price rules.") var noPrices = false
    @Option(help: "The payment schemes offered, comma-separated: l402, payment (default both).") var schemes: String?

    /// The fields given, as the JSON body of the admin request (null clears a field).
    func body() throws -> [String: Any] {
        var body: [String: Any] = [:]
        if let upstream { body["upstream"] = upstream }
        if let priceSats { body["price_sats"] = priceSats }
        if let calls { body["calls"] = calls }
        if let validFor { body["valid_for"] = validFor }
        if noValidFor { body["valid_for"] = NSNull() }
        if let description { body["description"] = description }
        if let freeCallsPerDay { body["free_calls_per_day"] = freeCallsPerDay }
        if !prices.isEmpty { body["prices"] = try prices.map(Self.priceRule) }
        if noPrices { body["prices"] = [Any]() }
        // The gateway checks the names (and says which one is wrong).
        if let schemes { body["schemes"] = schemes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        return body
    }

    /// `"POST /bulk=50"` → `{"method": "POST", "path_prefix": "/bulk", "price_sats": 50}`.
    static func priceRule(_ text: String) throws -> [String: Any] {
        guard let equals = text.lastIndex(of: "="), let sats = Int(text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces))
        else { throw ValidationError("--price '\(text)': expected \"[METHOD] [/path-prefix]=SATS\"") }
        var rule: [String: Any] = ["price_sats": sats]
        for part in text[..<equals].split(separator: " ") {
            let key = part.hasPrefix("/") ? "path_prefix" : "method"
            guard rule.updateValue(String(part), forKey: key) == nil else {
                throw ValidationError("--price '\(text)': more than one \(key == "method" ? "method" : "path prefix")")
            }
        }
        return rule
    }

    func validate() throws {
        if validFor != nil && noValidFor { throw ValidationError("--valid-for and --no-valid-for exclude each other") }
        if !prices.isEmpty && noPrices { throw ValidationError("--price and --no-prices exclude each other") }
    }
}
