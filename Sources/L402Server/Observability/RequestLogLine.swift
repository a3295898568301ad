import Foundation
import L402
import Logging

extension Logger {
    /// The one log line (level info, message `request`) written for every request to a tool.
    ///
    /// Metadata: `tool`, `outcome` (a `CallOutcome`), `status`, `token_id` (hex, when the request
    /// named a token the gateway could read; for a refused credential the token it claims), `client_ip`, `reason` (the error code, if any) and
    /// `latency_ms`. Never the credential, the macaroon, a preimage or a root key.
    public func logRequest(
        tool: String, outcome: CallOutcome, status: Int, tokenID: TokenID?, client: String?, reason: String?, latency: Duration
    ) {
        var metadata: Logger.Metadata = [
            "tool": .string(tool),
            "outcome": .string(outcome.rawValue),
            "status": .stringConvertible(status),
            "client_ip": .string(client ?? "-"),
            "latency_ms": .string(String(format: "%.3f", latency.milliseconds)),
        ]
        if let tokenID { metadata["token_id"] = .string(tokenID.hex) }
        if let reason { metadata["reason"] = .string(reason) }
        info("request", metadata: metadata)
    }
}
