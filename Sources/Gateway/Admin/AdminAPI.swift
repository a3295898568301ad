import Foundation
import Hummingbird
import L402
import Logging
import Storage
import L402Admin

/// The admin API under `/_l402/admin/`: JSON in and out, every request authorised by
/// `Authorization: Bearer <admin token>`. Routes:
///
/// - `GET tools`, `POST tools`, `GET|PUT|PATCH tools/{slug}`, `POST tools/{slug}/disable|enable`
/// - `GET invocations?tool=&since=&until=&limit=&offset=`, `GET usage?tool=&since=&until=`
/// - `POST tokens/{token_id}/revoke`
struct AdminAPI: Sendable {
    /// The largest request body the admin API reads.
    static let maxBodyBytes = 64 * 1024

    let token: AdminToken
    let registry: any ToolRegistry
    let ledger: any InvocationLedger
    /// The secret store the gateway's authenticator reads through, so a revocation applies at once.
    let secrets: any SecretStore
    let table: ToolTable
    let logger: Logger

    /// Answers a request whose path below `/_l402/admin` is `path` (e.g. `/tools/weather`).
    func respond(to request: Request, path: String, query: String?) async -> Response {
        guard token.accepts(authorization: request.headers[.authorization]) else { return AdminFailure.unauthorized.response }
        do {
            return try await route(request, path: path, query: query)
        } catch let failure as AdminFailure {
            return failure.response
        } catch {
            logger.error("admin request failed in the database", metadata: ["path": "\(path)", "error": "\(error)"])
            return AdminFailure.storeUnavailable("\(error)").response
        }
    }

    private func route(_ request: Request, path: String, query: String?) async throws -> Response {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        func part(_ index: Int) -> String { parts.count > index ? parts[index] : "" }
        switch (request.method, parts.count, part(0), part(2)) {
        case (.get, 1, "tools", _):
            return try await listTools()
        case (.post, 1, "tools", _):
            return try await addTool(request)
        case (.get, 2, "tools", _):
            return JSONResponse.make(status: .ok, AdminTool(try await storedTool(part(1))))
        case (.put, 2, "tools", _):
            return try await replaceTool(part(1), request)
        case (.patch, 2, "tools", _):
            return try await patchTool(part(1), request)
        case (.post, 3, "tools", "disable"):
            return try await setEnabled(part(1), false)
        case (.post, 3, "tools", "enable"):
            return try await setEnabled(part(1), true)
        case (.get, 1, "invocations", _):
            return try await invocations(query: try AdminQuery(query, allowed: ["tool", "since", "until", "limit", "offset"]))
        case (.get, 1, "usage", _):
            return try await usage(query: try AdminQuery(query, allowed: ["tool", "since", "until"]))
        case (.post, 3, "tokens", "revoke"):
            return try await revoke(part(1))
        default:
            throw AdminFailure.notFound(method: request.method.rawValue, path: path)
        }
    }

    /// The JSON body of `request`, at most `maxBodyBytes`.
    func body(of request: Request) async throws(AdminFailure) -> JSONValue {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maxBodyBytes {
            throw .bodyTooLarge(limit: Self.maxBodyBytes)
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.maxBodyBytes)
        } catch {
            throw .bodyTooLarge(limit: Self.maxBodyBytes)
        }
        do {
            return try JSONValue.parse(Array(buffer: buffer))
        } catch {
            throw .badJSON(error.description)
        }
    }
}
