import L402
import Foundation
import NIOHTTP1
import Storage
import Testing

@testable import Gateway

/// The dashboard over real HTTP: who gets in, the session cookie's flags, and what the page escapes.
@Suite struct DashboardHTTPTests {
    static let hostileDescription = #"<script>alert("pwned")</script> & <img src=x onerror=alert(1)> 'quoted'"#

    static func tools(_ ports: [Int]) -> [ToolConfiguration] {
        let echo = URL(string: "http://127.0.0.1:\(ports[0])")!
        return [
            ToolConfiguration(slug: "weather", upstream: echo, priceSats: 21, description: "Forecasts"),
            ToolConfiguration(slug: "evil", upstream: echo, priceSats: 3, calls: 2, description: hostileDescription),
        ]
    }

    /// A gateway with the test admin token (its config's tools seed the registry).
    static func withGateway(_ body: @Sendable (GatewayHarness) async throws -> Void) async throws {
        try await GatewayHarness.with(configure: { $0.adminToken = GatewayHarness.dashboardAdminToken }, tools: tools, body)
    }

    @Test func withoutCredentialsTheDashboardIsTheLoginForm() async throws {
        try await Self.withGateway { gateway in
            let page = try await gateway.request(.GET, "/_l402/dashboard")
            #expect(page.status == 401)
            #expect(page.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(page.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
            #expect(page.body.contains(#"<form class="login" id="login" method="post" action="/_l402/dashboard/login">"#))
            #expect(page.body.contains(#"name="token""#))
            #expect(!page.body.contains("weather"), "nothing of the dashboard leaks before login")
        }
    }

    @Test func wrongOrMissingTokenIsRefused() async throws {
        try await Self.withGateway { gateway in
            let wrong = try await gateway.dashboardLogin(token: "not-the-token")
            #expect(wrong.status == 401)
            #expect(wrong.headers["Set-Cookie"].isEmpty)
            #expect(wrong.body.contains("Wrong admin token."))
            #expect(wrong.body.contains(#"id="login""#))

            let missing = try await gateway.request(
                .POST, "/_l402/dashboard/login", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "nothing=here")
            #expect(missing.status == 400)
            #expect(missing.body.contains("token field"))

            let huge = try await gateway.dashboardLogin(token: String(repeating: "a", count: DashboardEndpoint.maxFormBytes + 1))
            #expect(huge.status == 413)

            let wrongBearer = try await gateway.request(.GET, "/_l402/dashboard", headers: [("Authorization", "Bearer not-the-token")])
            #expect(wrongBearer.status == 401)
            let forged = try await gateway.request(
                .GET, "/_l402/dashboard", headers: [("Cookie", "\(DashboardSession.cookieName)=99999999999.\(String(repeating: "00", count: 32))")])
            #expect(forged.status == 401)
        }
    }

    @Test func loginSetsAStrictHttpOnlyCookieWithoutTheToken() async throws {
        try await Self.withGateway { gateway in
            let login = try await gateway.dashboardLogin(token: GatewayHarness.dashboardAdminToken)
            #expect(login.status == 303)
            #expect(login.headers.first(name: "Location") == "/_l402/dashboard")
            let setCookie = try #require(login.headers["Set-Cookie"].first)
            let attributes = setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(attributes.contains("HttpOnly"))
            #expect(attributes.contains("SameSite=Strict"))
            #expect(attributes.contains("Path=/_l402/"))
            #expect(!setCookie.contains(GatewayHarness.dashboardAdminToken))
            let cookie = try #require(attributes.first)
            #expect(cookie.hasPrefix("\(DashboardSession.cookieName)="))

            let page = try await gateway.request(.GET, "/_l402/dashboard", headers: [("Cookie", cookie)])
            #expect(page.status == 200)
            #expect(page.body.contains(#"<tr class="tool" data-slug="weather">"#))
            #expect(page.headers.first(name: "Cache-Control") == "no-store")
            #expect(page.headers.first(name: "Content-Security-Policy") == HTMLResponse.contentSecurityPolicy)

            let logout = try await gateway.request(
                .POST, "/_l402/dashboard/logout", headers: [("Cookie", cookie), ("Origin", gateway.adminBase)])
            #expect(logout.status == 303)
            let cleared = try #require(logout.headers["Set-Cookie"].first)
            #expect(cleared.hasPrefix("\(DashboardSession.cookieName)=;") && cleared.contains("Max-Age=0"))
        }
    }

    /// Logout ends a session only for a post from the operator listener's own origin (`Origin`, else
    /// `Referer`); a tool's page on the public listener, another site, `Origin: null` or no origin at all get 403 JSON.
    @Test func logoutIsRefusedFromAnyOtherOrigin() async throws {
        try await Self.withGateway { gateway in
            let cookie = try #require(try await gateway.dashboardLogin(token: GatewayHarness.dashboardAdminToken)
                .headers["Set-Cookie"].first?.split(separator: ";").first.map(String.init))
            let foreign: [[(String, String)]] = [
                [],
                [("Origin", gateway.base)],  // a tool's page: same host, the public listener's port
                [("Origin", "http://evil.example")],
                [("Origin", "null")],
                [("Referer", gateway.base + "/echo/page.html")],
                [("Origin", gateway.base), ("Referer", gateway.adminBase + "/_l402/dashboard")],  // Origin wins
            ]
            for headers in foreign {
                let refused = try await gateway.request(.POST, "/_l402/dashboard/logout", headers: [("Cookie", cookie)] + headers)
                #expect(refused.status == 403, "\(headers)")
                #expect(refused.headers["Set-Cookie"].isEmpty)
                #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(refused.body.utf8)).error == "cross_origin")
            }
            // The session still works, then a same-origin post (by Referer alone, or by Origin) ends it.
            #expect(try await gateway.request(.GET, "/_l402/dashboard", headers: [("Cookie", cookie)]).status == 200)
            let byReferer = try await gateway.request(
                .POST, "/_l402/dashboard/logout", headers: [("Cookie", cookie), ("Referer", gateway.adminBase + "/_l402/dashboard")])
            #expect(byReferer.status == 303 && byReferer.headers["Set-Cookie"].first?.contains("Max-Age=0") == true)
            let byOrigin = try await gateway.request(
                .POST, "/_l402/dashboard/logout", headers: [("Origin", gateway.adminBase.uppercased())])
            #expect(byOrigin.status == 303)
        }
    }

    /// `dashboard_session_hours` sets the cookie's Max-Age and when the server stops accepting it.
    @Test func sessionLifetimeIsConfigurable() async throws {
        let clock = ManualClock(iso8601: "2026-11-25T12:00:00Z")
        try await GatewayHarness.with(
            configure: {
                $0.adminToken = GatewayHarness.dashboardAdminToken
                $0.dashboardSessionHours = 2
            },
            server: { $0.now = clock.now }, tools: Self.tools
        ) { gateway in
            let login = try await gateway.dashboardLogin(token: GatewayHarness.dashboardAdminToken)
            let setCookie = try #require(login.headers["Set-Cookie"].first)
            #expect(setCookie.contains("Max-Age=7200"), "\(setCookie)")
            let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
            clock.advance(seconds: 7199)
            #expect(try await gateway.request(.GET, "/_l402/dashboard", headers: [("Cookie", cookie)]).status == 200)
            clock.advance(seconds: 1)
            #expect(try await gateway.request(.GET, "/_l402/dashboard", headers: [("Cookie", cookie)]).status == 401)
        }
    }

    @Test func bearerTokenOpensTheDashboard() async throws {
        try await Self.withGateway { gateway in
            let page = try await gateway.request(
                .GET, "/_l402/dashboard", headers: [("Authorization", "Bearer \(GatewayHarness.dashboardAdminToken)")])
            #expect(page.status == 200)
            #expect(page.body.contains(#"<tr class="tool" data-slug="evil">"#))
        }
    }

    @Test func hostileToolDescriptionIsEscaped() async throws {
        try await Self.withGateway { gateway in
            let page = try await gateway.request(
                .GET, "/_l402/dashboard", headers: [("Authorization", "Bearer \(GatewayHarness.dashboardAdminToken)")])
            #expect(page.status == 200)
            #expect(!page.body.contains("<script"))
            #expect(!page.body.contains("<img"))
            #expect(page.body.contains(
                "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; &#39;quoted&#39;"))
        }
    }

    @Test func otherMethodsAndPathsGetPreciseErrors() async throws {
        try await Self.withGateway { gateway in
            let delete = try await gateway.request(.DELETE, "/_l402/dashboard")
            #expect(delete.status == 405)
            #expect(delete.headers.first(name: "Allow") == "GET")
            let getLogout = try await gateway.request(.GET, "/_l402/dashboard/logout")
            #expect(getLogout.status == 405)
            #expect(getLogout.headers.first(name: "Allow") == "POST")
            let unknown = try await gateway.request(.GET, "/_l402/dashboard/nothing")
            #expect(unknown.status == 404)
        }
    }
}
