import L402
import Hummingbird
import Storage

extension JSONResponse {
    /// 503 `database_unavailable` (with `Retry-After`) for a request the database could not serve right
    /// now: the client may retry unchanged, nothing was charged. The store's reason stays in the log.
    static func databaseUnavailable() -> Response {
        var response = error(
            status: .serviceUnavailable, code: "database_unavailable",
            message: "the gateway's database is unreachable right now; retry shortly (nothing was charged)")
        response.headers[.retryAfter] = "1"
        return response
    }
}
