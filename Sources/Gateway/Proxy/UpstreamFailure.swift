/// Why a call could not be completed upstream. None of them spends the caller's paid call.
enum UpstreamFailure: Error, CustomStringConvertible {
    /// Connection refused, reset or closed before a full answer: 502.
    case unreachable(String)
    /// No answer within the configured time: 504.
    case timedOut
    /// The request body exceeded `max_body_bytes` while streaming: 413.
    case bodyTooLarge(limit: Int)
    /// The upstream answered with a 5xx status: passed on as 502, 503 or 504.
    case serverError(status: Int)

    /// The status the gateway answers with.
    var httpStatus: Int {
        switch self {
        case .unreachable: 502
        case .timedOut: 504
        case .bodyTooLarge: 413
        case .serverError(let status): status == 503 || status == 504 ? status : 502
        }
    }

    /// Snake-case code for the JSON error body.
    var code: String {
        switch self {
        case .unreachable: "upstream_unreachable"
        case .timedOut: "upstream_timeout"
        case .bodyTooLarge: "body_too_large"
        case .serverError: "upstream_error"
        }
    }

    var description: String {
        switch self {
        case .unreachable(let detail): "the tool's upstream could not be reached (\(detail)); the call was not charged, retry with the same credential"
        case .timedOut: "the tool's upstream did not answer in time; the call was not charged, retry with the same credential"
        case .bodyTooLarge(let limit): "the request body is larger than \(limit) bytes; the call was not charged"
        case .serverError(let status): "the tool's upstream failed with status \(status); the call was not charged, retry with the same credential"
        }
    }
}
