import ArgumentParser
import AsyncHTTPClient
import Foundation
import L402Admin
import NIOCore
import NIOHTTP1

/// What every admin command (`l402 tools`, `l402 usage`, `l402 revoke`) takes: where the gateway is,
/// how to prove it is its operator, and how to print.
struct AdminOptions: ParsableArguments {
    @Option(name: .long, help: "The base URL of the gateway's operator listener (admin_listen).")
    var gateway = "http://127.0.0.1:8403"

    @Option(name: .customLong("admin-token"), help: "The admin token (visible to other local users in `ps`: prefer $L402_ADMIN_TOKEN or --data-dir).")
    var adminToken: String?

    @Option(name: .customLong("data-dir"), help: "The gateway's data directory, to read admin.token from (default ./data).")
    var dataDir: String?

    @Flag(name: .long, help: "Print the gateway's JSON answer instead of a table.")
    var json = false

    /// A client for the gateway, with the token from --admin-token, $L402_ADMIN_TOKEN or <data dir>/admin.token.
    func client() throws -> AdminClient {
        guard let base = URL(string: gateway), let scheme = base.scheme?.lowercased(), ["http", "https"].contains(scheme), base.host != nil
        else { throw ValidationError("--gateway must be an http:// or https:// URL, got '\(gateway)'") }
        return AdminClient(base: gateway.hasSuffix("/") ? String(gateway.dropLast()) : gateway, token: try token())
    }

    private func token() throws -> String {
        if let adminToken, !adminToken.isEmpty { return adminToken }
        if let value = ProcessInfo.processInfo.environment["L402_ADMIN_TOKEN"], !value.isEmpty { return value }
        let path = AdminTokenFile.path(inDataDirectory: dataDir ?? "./data")
        guard let value = AdminTokenFile.storedValue(at: path) else {
            throw ValidationError("no admin token: pass --admin-token, set L402_ADMIN_TOKEN, or point --data-dir at the gateway's data directory (no \(path))")
        }
        return value
    }
}

/// The admin API over HTTP: one place that sends requests, checks the answer and decodes it.
struct AdminClient {
    /// The gateway's base URL, without a trailing `/`.
    let base: String
    let token: String

    /// An answer with a 2xx status: its raw body and its decoded value.
    struct Answer<Value: Decodable> {
        var body: String
        var value: Value
    }

    /// Sends `method` to `/_l402/admin/<path>` with `query` and an optional JSON object `body`; throws
    /// `AdminCommandError` for a transport failure or a non-2xx answer.
    func send<Value: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], body: [String: Any]? = nil, as type: Value.Type
    ) async throws -> Answer<Value> {
        var components = URLComponents(string: base + "/_l402/admin/" + path)
        let items = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        if !items.isEmpty { components?.queryItems = items }
        guard let url = components?.string else { throw AdminCommandError("cannot build a URL from \(base) and \(path)") }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        }
        let (status, text): (UInt, String)
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            text = String(buffer: try await response.body.collect(upTo: 64 << 20))
            status = response.status.code
        } catch {
            throw AdminCommandError("cannot reach the gateway at \(base): \(error)")
        }
        guard (200..<300).contains(status) else {
            guard let failure = try? JSONDecoder().decode(AdminErrorBody.self, from: Data(text.utf8)) else {
                throw AdminCommandError("the gateway answered \(status): \(text.prefix(500))")
            }
            let field = failure.field.map { "\($0): " } ?? ""
            throw AdminCommandError("\(field)\(failure.message) (HTTP \(status) \(failure.error))")
        }
        do {
            return Answer(body: text, value: try JSONDecoder().decode(Value.self, from: Data(text.utf8)))
        } catch {
            throw AdminCommandError("the gateway's answer is not what this l402 expects (\(error)): \(text.prefix(500))")
        }
    }
}

/// An admin command that failed: printed as `Error: <reason>`, exit status 1.
struct AdminCommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
