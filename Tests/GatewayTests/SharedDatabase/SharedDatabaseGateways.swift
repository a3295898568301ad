import AsyncHTTPClient
import Foundation
import Lightning
import TestSupport

/// Several `l402 serve` processes (the built binary, ports 0) sharing one PostgreSQL database, as behind a
/// load balancer: each has its own data directory, holding a copy of one dev node key (so any of them
/// settles the dev invoices of all, whose records are in the database), and they share the admin token.
/// They are started at the same moment, so their schema migrations race as in a real rollout.
struct SharedDatabaseGateways: Sendable {
    /// One gateway process of the group.
    struct Member: GatewayEndpoint {
        let base: String
        let httpClient: HTTPClient
    }

    let members: [Member]
    let databaseURL: String

    /// Starts `count` gateways configured by `yaml` on the database at `databaseURL`, runs `body`, stops them.
    static func with<T: Sendable>(
        databaseURL: String, count: Int = 2, configuration yaml: String,
        _ body: @Sendable (SharedDatabaseGateways) async throws -> T
    ) async throws -> T {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("l402-shared-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = root + "/gateway.yaml"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        let key = root + "/dev-node.key"
        _ = try DevNode.loadOrCreateKey(at: key)
        let environment = ["DATABASE_URL": databaseURL, "L402_ADMIN_TOKEN": "shared-admin-token-0123456789abcdef"]

        var processes: [RunningProcess] = []
        // More connections than the default 8 per host, so hundreds of requests really overlap.
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
        do {
            for index in 0..<count {
                let dataDirectory = root + "/gateway-\(index)"
                try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: key, toPath: dataDirectory + "/dev-node.key")
                processes.append(try RunningProcess(
                    try Subprocess.l402Binary, ["serve", "--config", config, "--port", "0", "--admin-port", "0", "--data-dir", dataDirectory],
                    environment: environment))
            }
            var members: [Member] = []
            for process in processes {
                let port = try await process.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
                members.append(Member(base: "http://127.0.0.1:\(port)", httpClient: client))
            }
            let result = try await body(SharedDatabaseGateways(members: members, databaseURL: databaseURL))
            for process in processes {
                let status = try await process.terminate()
                guard status == 0 else { throw HarnessError("a gateway exited \(status) on SIGTERM:\n\(process.output)") }
            }
            try await client.shutdown()
            return result
        } catch {
            for process in processes { _ = try? await process.terminate() }
            try? await client.shutdown()
            throw HarnessError("\(error)\n" + processes.enumerated().map { "gateway \($0) output:\n\($1.output)" }.joined(separator: "\n"))
        }
    }

    /// The paid calls the shared ledger holds for `tool`: how many rows per token id (hex), read with psql.
    static func paidCallsPerToken(tool: String, databaseURL: String) async throws -> [String: Int] {
        let rows = try await TestPostgres.query(
            "SELECT token_id, count(*) FROM invocations WHERE tool = '\(tool)' AND outcome = 'paid' GROUP BY token_id",
            url: databaseURL)
        var counts: [String: Int] = [:]
        for line in rows.split(separator: "\n") {
            let fields = line.split(separator: "|")
            guard fields.count == 2, let count = Int(fields[1]) else { throw HarnessError("unexpected psql row: \(line)") }
            counts[String(fields[0])] = count
        }
        return counts
    }
}
