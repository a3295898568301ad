import Hummingbird
import L402
import L402Admin

/// Why the admin API refused a request; each case becomes a 4xx JSON answer, never a 500.
enum AdminFailure: Error, Equatable, CustomStringConvertible {
    /// No or wrong `Authorization: Bearer <admin token>`.
    case unauthorized
    /// A field of the body or the query string is wrong: its name and why.
    case invalidField(String, String)
    /// The body is not JSON.
    case badJSON(String)
    /// The body is larger than the admin API reads.
    case bodyTooLarge(limit: Int)
    /// No tool is registered under this slug.
    case unknownTool(String)
    /// A tool with this slug is already registered.
    case toolExists(String)
    /// No root key is stored for this token id (never issued, expired and collected, or already revoked).
    case unknownToken(String)
    /// No admin route has this method and path.
    case notFound(method: String, path: String)
    /// The database did not answer.
    case storeUnavailable(String)

    var status: HTTPResponse.Status {
        switch self {
        case .unauthorized: .unauthorized
        case .invalidField, .badJSON: .badRequest
        case .bodyTooLarge: .contentTooLarge
        case .unknownTool, .unknownToken, .notFound: .notFound
        case .toolExists: .conflict
        case .storeUnavailable: .serviceUnavailable
        }
    }

    var code: String {
        switch self {
        case .unauthorized: "unauthorized"
        case .invalidField: "invalid_field"
        case .badJSON: "bad_json"
        case .bodyTooLarge: "body_too_large"
        case .unknownTool: "unknown_tool"
        case .toolExists: "tool_exists"
        case .unknownToken: "unknown_token"
        case .notFound: "not_found"
        case .storeUnavailable: "database_unavailable"  // the same code as every other request the database fails
        }
    }

    var description: String {
        switch self {
        case .unauthorized: "the admin API needs `Authorization: Bearer <admin token>` (see <data dir>/admin.token)"
        case .invalidField(let field, let reason): "\(field): \(reason)"
        case .badJSON(let reason): "the body is not valid JSON: \(reason)"
        case .bodyTooLarge(let limit): "the body is larger than \(limit) bytes"
        case .unknownTool(let slug): "no tool is registered under '\(slug)'"
        case .toolExists(let slug): "a tool is already registered under '\(slug)'; change it with PUT or PATCH /_l402/admin/tools/\(slug)"
        case .unknownToken(let id): "no token \(id) is stored (never issued, expired, or already revoked)"
        case .notFound(let method, let path): "no admin endpoint \(method) /_l402/admin\(path)"
        case .storeUnavailable(let reason): "the database is unavailable: \(reason)"
        }
    }

    /// The JSON answer: `{"error": code, "message": …}`, plus `"field"` for an invalid field.
    var response: Response {
        var headers: HTTPFields = [:]
        if self == .unauthorized { headers[.wwwAuthenticate] = #"Bearer realm="l402-admin""# }
        let field: String? = if case .invalidField(let name, _) = self { name } else { nil }
        let message: String = if case .invalidField(_, let reason) = self { reason } else { description }
        return JSONResponse.make(status: status, AdminErrorBody(error: code, message: message, field: field), headers: headers)
    }
}
