import L402Server
import NIOCore

extension PaywallResponse {
    /// The answer to a request body that could not be read: 413 `body_too_large` when it passed
    /// `limit` bytes, otherwise 400 `bad_request` (a malformed chunked body, for one).
    public static func unreadableBody(_ error: any Error, limit: Int) -> PaywallResponse {
        if error is NIOTooManyBytesError {
            return .error(status: .contentTooLarge, code: "body_too_large", message: "the request body is larger than \(limit) bytes")
        }
        return .error(status: .badRequest, code: "bad_request", message: "the request body could not be read: \(error)")
    }
}
