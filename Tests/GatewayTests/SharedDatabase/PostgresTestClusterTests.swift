import Foundation
import TestSupport
import Testing

extension PostgresOutageSuites {
    /// The throwaway cluster of scripts/postgres-test-cluster.sh that the PostgreSQL tests rely on:
    /// password-protected, databases of their own per test, and private clusters that survive a restart
    /// and an outage on a port no other process can be given meanwhile.
    @Suite(.enabled(if: TestPostgres.shouldRun)) struct PostgresTestClusterTests {
        @Test func freshDatabasesAreSeparateAndPasswordProtected() async throws {
            let first = try await TestPostgres.freshDatabase()
            let second = try await TestPostgres.freshDatabase()
            #expect(first != second)
            _ = try await TestPostgres.query("CREATE TABLE marks (n int); INSERT INTO marks VALUES (7)", url: first)
            #expect(try await TestPostgres.query("SELECT n FROM marks", url: first) == "7")
            await #expect(throws: Subprocess.Failure.self) { try await TestPostgres.query("SELECT n FROM marks", url: second) }

            var wrongPassword = try #require(URLComponents(string: first))
            wrongPassword.password = "not-the-password"
            await #expect(throws: Subprocess.Failure.self) { try await TestPostgres.query("SELECT 1", url: wrongPassword.string!) }
        }

        @Test func privateClusterKeepsItsDataAcrossRestartAndOutage() async throws {
            let cluster = try await PrivatePostgresCluster.start()
            do {
                let url = cluster.databaseURL
                // Its port lies outside the kernel's ephemeral range, so while the server is down no outgoing
                // connection on the machine can be given it and make `up` fail with "Address already in use".
                let port = try #require(URLComponents(string: url)?.port)
                let ephemeral = try String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
                    .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
                #expect(ephemeral.count == 2 && !(ephemeral[0]...ephemeral[1]).contains(port), "port \(port), ephemeral \(ephemeral)")
                _ = try await TestPostgres.query("CREATE TABLE marks (n int); INSERT INTO marks VALUES (1)", url: url)
                try await cluster.restart()
                #expect(try await TestPostgres.query("SELECT n FROM marks", url: url) == "1")
                try await cluster.down()
                await #expect(throws: Subprocess.Failure.self) { try await TestPostgres.query("SELECT 1", url: url) }
                try await cluster.up()
                #expect(try await TestPostgres.query("SELECT n FROM marks", url: url) == "1")
                try await cluster.stop()
                await #expect(throws: Subprocess.Failure.self) { try await TestPostgres.query("SELECT 1", url: url) }
            } catch {
                try? await cluster.stop()
                throw error
            }
        }
    }
}
