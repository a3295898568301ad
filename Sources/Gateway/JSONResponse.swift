import Foundation
import Hummingbird
import L402Hummingbird
import L402Server
import NIOCore

/// JSON bodies the gateway writes itself (errors, dev endpoints), in the paywall core's shapes.
enum JSONResponse {
    /// A response with `value` encoded as JSON.
    static func make(status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) -> Response {
        Response(PaywallResponse.json(status: status, value, headers: headers, outcome: .refused))
    }

    /// `{"error": code, "message": message}`: the shape of every error the gateway answers itself.
    static func error(status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) -> Response {
        Response(PaywallResponse.error(status: status, code: code, message: message, headers: headers, outcome: .refused))
    }

    /// 503 `database_unavailable`: nothing was charged, the client may retry unchanged.
    static func databaseUnavailable() -> Response {
        Response(PaywallResponse.databaseUnavailable())
    }
}
