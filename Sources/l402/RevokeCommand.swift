import ArgumentParser
import L402Admin

/// `l402 revoke TOKEN_ID`: delete a token's root key on the gateway, so it stops working at once.
struct RevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a token: its root key is deleted and every credential of it is refused from now on.",
        discussion: """
            TOKEN_ID is the token's 64-hex-digit id (`token_id` in `GET /_l402/admin/invocations`, or
            `l402 token show` on the agent's side). Example: l402 revoke 3f9a…c2
            """
    )

    @OptionGroup var admin: AdminOptions
    @Argument(help: "The token id (64 hex digits).") var tokenID: String

    func run() async throws {
        let answer = try await admin.client().send(.POST, "tokens/\(tokenID)/revoke", as: AdminRevocation.self)
        print(admin.json ? answer.body : "revoked \(answer.value.revoked)")
    }
}
