import Foundation
import TestSupport

/// Every token presented at every gateway at once, while the database goes down and comes back:
/// it is stopped once a third of the answers are in, and started again once ten requests met the
/// outage (503), so the outage is sure to happen under load whatever the machine's speed.
struct DatabaseOutageLoad: Sendable {
    let answers: [Presentation]
    /// 503s answered while the database was down (before it was started again).
    let unavailableDuringOutage: Int

    /// Status -> count, for failure messages.
    var histogram: [Int: Int] { answers.reduce(into: [:]) { $0[$1.status, default: 0] += 1 } }

    static func run(
        tokens: [PaidToken], gateways: [any GatewayEndpoint], path: String, cluster: PrivatePostgresCluster
    ) async throws -> DatabaseOutageLoad {
        let (statuses, sink) = AsyncStream.makeStream(of: Int.self)
        async let control = controlOutage(statuses, total: tokens.count * gateways.count, cluster: cluster)
        let answers: [Presentation]
        do {
            answers = try await withThrowingTaskGroup(of: Presentation.self) { group in
                for token in tokens.indices {
                    for gateway in gateways.indices {
                        group.addTask {
                            let answer = try await Presentation.present(token, tokens, at: gateway, of: gateways, path: path)
                            sink.yield(answer.status)
                            return answer
                        }
                    }
                }
                return try await group.reduce(into: [Presentation]()) { $0.append($1) }
            }
        } catch {
            sink.finish()
            _ = try? await control
            throw error
        }
        sink.finish()
        return DatabaseOutageLoad(answers: answers, unavailableDuringOutage: try await control)
    }

    /// Takes the database down after a third of the answers, up again after ten 503s (or at the end).
    private static func controlOutage(
        _ statuses: AsyncStream<Int>, total: Int, cluster: PrivatePostgresCluster
    ) async throws -> Int {
        var answered = 0, unavailable = 0
        var isDown = false
        for await status in statuses {
            answered += 1
            if !isDown && unavailable == 0 && answered == total / 3 {
                try await cluster.down()
                isDown = true
            } else if isDown && status == 503 {
                unavailable += 1
                if unavailable == 10 {
                    try await cluster.up()
                    isDown = false
                }
            }
        }
        if isDown { try await cluster.up() }
        return unavailable
    }

    /// Presents a token once the database is back: a 503 means the gateway has not reconnected yet, so
    /// it is asked again until a generous deadline (not a number of tries: reconnecting under load takes
    /// however long it takes), as a client would.
    static func presentAfterRecovery(
        _ token: Int, _ tokens: [PaidToken], gateways: [any GatewayEndpoint], path: String
    ) async throws -> Presentation {
        var answer = try await Presentation.present(token, tokens, at: token % gateways.count, of: gateways, path: path)
        let deadline = ContinuousClock.now + .seconds(120)
        while answer.status == 503, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            answer = try await Presentation.present(token, tokens, at: token % gateways.count, of: gateways, path: path)
        }
        return answer
    }
}
