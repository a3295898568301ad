import L402
import Foundation
import Hummingbird
import Storage

/// `/_l402/dashboard*`, on the operator listener only: the operator's HTML dashboard behind the admin token.
///
/// - `GET /_l402/dashboard`: the dashboard with a valid session cookie or `Authorization: Bearer <admin token>`;
///   otherwise the login form (401).
/// - `POST /_l402/dashboard/login` (form field `token`): sets the session cookie and redirects (303) to the
///   dashboard; a wrong token gets the form again with an error (401).
/// - `POST /_l402/dashboard/logout`: clears the cookie and redirects to the login form, for a request from
///   the operator listener's own origin only (`Origin`, else `Referer`, naming the host and port the request
///   was sent to); any other gets 403 JSON `cross_origin`, so no other page can end a session.
struct DashboardEndpoint: Sendable {
    static let url = "/_l402/dashboard"
    static let loginURL = "/_l402/dashboard/login"
    static let logoutURL = "/_l402/dashboard/logout"
    /// A login form is a few dozen bytes; anything much larger is not one.
    static let maxFormBytes = 4096

    let adminToken: AdminToken
    let session: DashboardSession
    let registry: any ToolRegistry
    let ledger: any InvocationLedger
    let clock: @Sendable () -> Date

    init(
        adminToken: AdminToken, registry: any ToolRegistry, ledger: any InvocationLedger,
        sessionLifetime: TimeInterval = DashboardSession.defaultLifetime, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.adminToken = adminToken
        self.session = DashboardSession(adminToken: adminToken, lifetime: sessionLifetime)
        self.registry = registry
        self.ledger = ledger
        self.clock = clock
    }

    /// Whether `path` (below `/_l402`) belongs to the dashboard.
    static func handles(_ path: String) -> Bool {
        path == "/dashboard" || path.hasPrefix("/dashboard/")
    }

    /// Answers a request for one of the dashboard's paths (below `/_l402`).
    func respond(to request: Request, path: String) async -> Response {
        switch (path, request.method) {
        case ("/dashboard", .get): return await dashboard(request)
        case ("/dashboard/login", .post): return await login(request)
        case ("/dashboard/login", .get):
            return isAuthorized(request) ? HTMLResponse.redirect(to: Self.url) : HTMLResponse.make(status: .ok, DashboardLoginPage.render())
        case ("/dashboard/logout", .post):
            guard SameOriginCheck.isSameOrigin(request) else {
                return JSONResponse.error(
                    status: .forbidden, code: "cross_origin",
                    message: "logout is accepted only from the dashboard itself (Origin or Referer must name this listener)")
            }
            return HTMLResponse.redirect(to: Self.url, headers: [.setCookie: DashboardSession.clearCookieHeader])
        case ("/dashboard", _), ("/dashboard/login", _), ("/dashboard/logout", _):
            let allowed = path == "/dashboard" ? "GET" : path == "/dashboard/login" ? "GET, POST" : "POST"
            return HTMLResponse.make(
                status: .methodNotAllowed,
                DashboardLayout.message(title: "Method not allowed", text: "\(path) answers \(allowed), not \(request.method)."),
                headers: [.allow: allowed])
        default:
            return HTMLResponse.make(
                status: .notFound, DashboardLayout.message(title: "Not found", text: "There is no page /_l402\(path)."))
        }
    }

    /// A valid session cookie or the admin token as a bearer token.
    private func isAuthorized(_ request: Request) -> Bool {
        adminToken.accepts(authorization: request.headers[.authorization])
            || session.accepts(request.cookies[DashboardSession.cookieName]?.value, now: clock())
    }

    private func dashboard(_ request: Request) async -> Response {
        guard isAuthorized(request) else { return loginForm(status: .unauthorized, error: nil) }
        do {
            let snapshot = try await DashboardSnapshot.load(registry: registry, ledger: ledger, now: clock())
            return HTMLResponse.make(status: .ok, DashboardPage.render(snapshot))
        } catch {
            return HTMLResponse.make(
                status: .serviceUnavailable,
                DashboardLayout.message(title: "Database unavailable", text: "The dashboard could not read the database: \(error)"))
        }
    }

    private struct LoginForm: Decodable {
        var token: String
    }

    private func login(_ request: Request) async -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maxFormBytes)
        } catch {
            return loginForm(status: .contentTooLarge, error: "The login form may be at most \(Self.maxFormBytes) bytes.")
        }
        guard let form = try? URLEncodedFormDecoder().decode(LoginForm.self, from: String(buffer: body)) else {
            return loginForm(status: .badRequest, error: "Expected a form with a token field (application/x-www-form-urlencoded).")
        }
        guard adminToken.accepts(form.token.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return loginForm(status: .unauthorized, error: "Wrong admin token.")
        }
        return HTMLResponse.redirect(to: Self.url, headers: [.setCookie: session.setCookieHeader(now: clock())])
    }

    /// The login form; 401s carry a `WWW-Authenticate` challenge for the bearer token.
    private func loginForm(status: HTTPResponse.Status, error: String?) -> Response {
        let headers: HTTPFields = status == .unauthorized ? [.wwwAuthenticate: #"Bearer realm="l402-dashboard""#] : [:]
        return HTMLResponse.make(status: status, DashboardLoginPage.render(error: error), headers: headers)
    }
}
