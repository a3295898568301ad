import Foundation

/// The throwaway PostgreSQL cluster `make test` runs the tests against (scripts/postgres-test-cluster.sh),
/// found through the variables that script's `env` prints: `L402_TEST_DATABASE_URL` (the shared cluster's
/// `l402_test` database), `L402_TEST_PG_CLUSTER` (the script) and `L402_TEST_PG_PRIVATE` (where private
/// clusters go).
///
/// Without a cluster, PostgreSQL tests are skipped, except under `L402_REQUIRE_PEERS=1` (as `make test`
/// sets it), where they run and fail with `Unavailable`.
public enum TestPostgres {
    /// Why there is no cluster to test against.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String {
            "no PostgreSQL test cluster (L402_TEST_DATABASE_URL and L402_TEST_PG_CLUSTER unset): run the tests with "
                + "`make test`, or `scripts/postgres-test-cluster.sh start && eval \"$(scripts/postgres-test-cluster.sh env)\"` first"
        }
    }

    static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { throw Unavailable() }
        return value
    }

    /// Whether PostgreSQL tests should run: a cluster is configured, or peers are required (then they fail).
    /// Use as `@Test(.enabled(if: TestPostgres.shouldRun))`.
    public static var shouldRun: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["L402_TEST_DATABASE_URL"] != nil || environment["L402_REQUIRE_PEERS"] == "1"
    }

    /// A schema name no other test uses (`PostgresSettings.schema`), so a store in it starts empty while
    /// other tests share the database.
    public static func uniqueSchema() -> String {
        "l402_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// The URL of the shared cluster's test database. Never stop or restart the shared cluster: other
    /// tests run on it at the same time. Use a `PrivatePostgresCluster` for that.
    public static func databaseURL() throws -> String { try variable("L402_TEST_DATABASE_URL") }

    /// Creates a new, empty database on the shared cluster and returns its URL, so a test owns its schema and data.
    public static func freshDatabase() async throws -> String { try await freshDatabase(on: try databaseURL()) }

    /// Creates a new, empty database on the server of `url` (whose role may CREATE DATABASE) and returns its URL.
    public static func freshDatabase(on url: String) async throws -> String {
        guard var components = URLComponents(string: url) else { throw Subprocess.Failure(description: "not a URL: \(url)") }
        let name = "l402_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        _ = try await query("CREATE DATABASE \(name)", url: url)
        components.path = "/" + name
        return components.string!
    }

    /// Runs SQL on the database at `url` with psql; returns the unaligned, tuples-only output, trimmed.
    public static func query(_ sql: String, url: String) async throws -> String {
        try await Subprocess.outputInBackground("psql", [url, "-X", "-v", "ON_ERROR_STOP=1", "-tAc", sql])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A PostgreSQL cluster of one test's own (same script, a directory under `L402_TEST_PG_PRIVATE`), for tests
/// that stop or restart the server. Call `stop()` when done; stopping the shared cluster stops leftovers too.
public struct PrivatePostgresCluster: Sendable {
    /// The URL of the cluster's `l402_test` database.
    public let databaseURL: String
    private let script: String
    private let environment: [String: String]

    /// Starts a fresh cluster (about a second: initdb, start, createdb).
    public static func start() async throws -> PrivatePostgresCluster {
        let script = try TestPostgres.variable("L402_TEST_PG_CLUSTER")
        let directory = try TestPostgres.variable("L402_TEST_PG_PRIVATE") + "/" + UUID().uuidString.prefix(8).lowercased()
        let environment = ["L402_PG_DIR": directory]
        try await Subprocess.outputInBackground(script, ["start"], environment: environment)
        let variables = try await Subprocess.outputInBackground(script, ["env"], environment: environment)
        guard let line = variables.split(separator: "\n").first(where: { $0.hasPrefix("export L402_TEST_DATABASE_URL=") }),
              let url = line.split(separator: "'").dropFirst().first
        else { throw Subprocess.Failure(description: "\(script) env printed no database URL:\n\(variables)") }
        return PrivatePostgresCluster(databaseURL: String(url), script: script, environment: environment)
    }

    /// Restarts the server (fast shutdown: every open connection is cut); same port and data.
    public func restart() async throws { try await run("restart") }

    /// Stops the server, keeping its data and port, until `up()`.
    public func down() async throws { try await run("down") }

    /// Starts the server again after `down()`.
    public func up() async throws { try await run("up") }

    /// Stops the server and deletes the cluster.
    public func stop() async throws { try await run("stop") }

    private func run(_ command: String) async throws {
        try await Subprocess.outputInBackground(script, [command], environment: environment)
    }
}
