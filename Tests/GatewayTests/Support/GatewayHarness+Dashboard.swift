import AsyncHTTPClient
import Foundation
import Gateway
import NIOCore
import NIOHTTP1
import Storage

/// Dashboard helpers: a gateway with a known admin token, requests that show redirects and
/// cookies as they are (no redirect following), and ledger rows written straight to its database.
extension GatewayHarness {
    /// The admin token the dashboard tests configure.
    static let dashboardAdminToken = "dashboard-test-admin-token-0123456789abcdef"

    /// A client that returns 3xx responses instead of following them, so tests see `Set-Cookie` and `Location`.
    private static let nonRedirectingClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(redirectConfiguration: .disallow))

    /// Sends a request with arbitrary header fields to the operator listener (where the dashboard is),
    /// without following redirects.
    func request(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        var request = HTTPClientRequest(url: adminBase + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await Self.nonRedirectingClient.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), response.headers, String(buffer: bytes))
    }

    /// Posts the dashboard's login form with `token` (form-encoded).
    func dashboardLogin(token: String) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = token.addingPercentEncoding(withAllowedCharacters: allowed) ?? token
        return try await request(
            .POST, "/_l402/dashboard/login", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "token=\(encoded)")
    }

    /// The gateway's own database, opened a second time (SQLite WAL allows it) to seed or read rows.
    func openStore() throws -> SQLiteStore {
        try SQLiteStore(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("l402.sqlite").path)
    }
}
