/// The database could not be reached (or did not answer in time). The operation may be retried later;
/// the gateway answers the affected request with 503 `database_unavailable`.
///
/// `reason` says what failed (e.g. "connection refused", "no answer within 5 s") and never carries
/// connection credentials, queries or their parameters.
public struct DatabaseUnavailable: Error, Equatable, CustomStringConvertible {
    /// Why the database did not answer (no secrets in it).
    public var reason: String

    /// An outage for this reason.
    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "database unavailable: \(reason)" }
}
