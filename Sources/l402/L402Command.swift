import ArgumentParser

/// The `l402` command line: one binary for the gateway, the agent client and the tools around them.
@main
struct L402Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "l402",
        abstract: "Lightning pay-per-request (L402) for HTTP APIs and AI tools.",
        discussion: """
            Put a Lightning paywall in front of any HTTP tool, or call paid tools as an agent.
            Run `l402 <subcommand> --help` for details on each command.
            """,
        subcommands: [
            MacaroonCommand.self, InvoiceCommand.self, ServeCommand.self, FetchCommand.self, TokenCommand.self,
            ToolsCommand.self, UsageCommand.self, InvocationsCommand.self, RevokeCommand.self, MCPCommand.self,
        ]
    )
}
