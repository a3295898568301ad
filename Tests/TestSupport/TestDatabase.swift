import Foundation

/// The PostgreSQL cluster the tests may use: `make test` starts a throwaway one on a loopback port and
/// exports its URL as `L402_TEST_DATABASE_URL` (scripts/postgres-test-cluster.sh).
///
/// Without the URL, PostgreSQL cases are skipped — unless `L402_REQUIRE_PEERS=1` (set by `make test`),
/// where they fail with `Missing`, so CI can never pass without running them.
public enum TestDatabase {
    public static let environmentKey = "L402_TEST_DATABASE_URL"

    /// The cluster URL, when one is configured.
    public static var url: String? {
        ProcessInfo.processInfo.environment[environmentKey].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether PostgreSQL cases run: a URL is set, or they are required (and then fail without one).
    public static var isEnabled: Bool {
        url != nil || ProcessInfo.processInfo.environment["L402_REQUIRE_PEERS"] == "1"
    }

    /// The cluster URL, or `Missing` when none is configured.
    public static func requireURL() throws -> String {
        guard let url else { throw Missing() }
        return url
    }

    /// A schema name no other test uses, so each store starts empty and tests run in parallel.
    public static func uniqueSchema() -> String {
        "l402_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// No test database is configured while PostgreSQL tests are required.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "\(TestDatabase.environmentKey) is not set: run `make test`, which starts a throwaway PostgreSQL cluster "
                + "(scripts/postgres-test-cluster.sh), or point it at a database the tests may create schemas in"
        }
    }
}
