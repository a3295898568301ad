/// The form that asks for the admin token before the dashboard shows anything.
enum DashboardLoginPage {
    /// The login page, with `error` (e.g. "wrong admin token") above the form when set.
    static func render(error: String? = nil) -> HTML {
        let message: HTML = error.map { "<p class=\"error\" id=\"login-error\" role=\"alert\">\($0)</p>" } ?? ""
        return DashboardLayout.document(
            title: "l402 dashboard: log in",
            body: """
                <main class="narrow">
                <h1>l402 dashboard</h1>
                <p class="muted">Log in with the gateway's admin token (<code>admin_token</code> in the config, <code>L402_ADMIN_TOKEN</code>, or the <code>admin.token</code> file in the data directory).</p>
                \(message)
                <form class="login" id="login" method="post" action="\(DashboardEndpoint.loginURL)">
                <label for="token">Admin token</label>
                <input type="password" id="token" name="token" autocomplete="current-password" required autofocus>
                <button type="submit">Log in</button>
                </form>
                </main>
                """)
    }
}
