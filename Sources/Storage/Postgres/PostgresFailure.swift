import L402
import PostgresNIO

/// A driver error read as "the database is unreachable", with whether the statement may have run.
/// Errors that are not about reachability (constraint violations, bad SQL, decoding) are not outages.
struct PostgresFailure {
    /// Short, credential-free cause for `DatabaseUnavailable.reason`.
    var reason: String
    /// False when the statement certainly did not run (no connection, or the server aborted it).
    var mayHaveRun: Bool
    /// The store itself was shut down: waiting cannot help.
    var isFinal = false

    /// The attempt was abandoned at the store's deadline.
    struct TimedOut: Error {
        var after: Duration
    }

    /// `started`: whether the pool had handed out a connection, so the statement may have been sent.
    init?(_ error: any Error, started: Bool) {
        switch error {
        case let error as TimedOut:
            self.init(reason: "no answer within \(error.after)", mayHaveRun: true)
        case let error as PSQLError:
            guard let reason = Self.reason(error) else { return nil }
            // SQLSTATE class 57 (operator intervention, e.g. a restart) aborts the statement before it commits.
            let aborted = error.serverInfo?[.sqlState]?.hasPrefix("57") == true
            self.init(reason: reason, mayHaveRun: started && !aborted)
            isFinal = error.code == .poolClosed
        case is CancellationError, is PostgresDecodingError:
            return nil
        default:
            // The pool's own error (its circuit breaker, open after a minute without connections) lives in
            // postgres-nio's underscored `_ConnectionPoolModule`, which the store does not import.
            guard String(reflecting: type(of: error)).hasSuffix("ConnectionPoolError") else { return nil }
            self.init(reason: "no connection (the pool stopped trying for a while)", mayHaveRun: false)
        }
    }

    private init(reason: String, mayHaveRun: Bool) {
        self.reason = reason
        self.mayHaveRun = mayHaveRun
    }

    /// A safe one-line explanation of a connection error: the server's message and SQLSTATE, or the
    /// network error. PSQLError's own description is deliberately generic.
    static func explain(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }

    /// Why `error` means unreachable, or nil when it does not. PSQLError's description is deliberately
    /// generic (no query, no parameters), so only the code and SQLSTATE are used.
    private static func reason(_ error: any Error) -> String? {
        guard let error = error as? PSQLError else {
            return String(reflecting: type(of: error)).hasSuffix("ConnectionPoolError") ? "no connection" : nil
        }
        switch error.code {
        case .connectionError: return "cannot connect"
        case .serverClosedConnection, .uncleanShutdown: return "connection lost"
        case .clientClosedConnection: return "connection closed"
        case .poolClosed: return "store shut down"
        case .sslUnsupported, .failedToAddSSLHandler: return "TLS handshake failed"
        case .server:
            // 08: connection exception; 53: insufficient resources (too many connections); 57: operator intervention.
            guard let state = error.serverInfo?[.sqlState], ["08", "53", "57"].contains(String(state.prefix(2))) else {
                return nil
            }
            return "server refused (SQLSTATE \(state))"
        default: return nil
        }
    }
}
