import Synchronization

/// The MCP sessions (`Mcp-Session-Id`) whose client declared `capabilities.experimental.payment`
/// in its `initialize`: their priced calls are asked to pay at the MCP level (JSON-RPC error
/// `-32042`) instead of with an HTTP 402.
///
/// Kept in this process's memory, at most `capacity` sessions (the oldest are forgotten first): a
/// forgotten session, or one that another gateway of the same database initialized, is asked with
/// an HTTP 402, which every L402-aware HTTP transport handles, and a client may always send its
/// credential in `_meta`, which selects the MCP level for that call.
final class MCPPaymentSessions: Sendable {
    private let state = Mutex(State())
    private let capacity: Int

    private struct State {
        var members: Set<String> = []
        var order: [String] = []
        var head = 0
    }

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Notes that `session`'s client can pay at the MCP level.
    func remember(_ session: String) {
        guard !session.isEmpty, session.utf8.count <= 256 else { return }
        state.withLock { state in
            guard state.members.insert(session).inserted else { return }
            state.order.append(session)
            if state.members.count > capacity {
                state.members.remove(state.order[state.head])
                state.head += 1
                if state.head > capacity {  // drop the forgotten prefix now and then, not on every insert
                    state.order.removeFirst(state.head)
                    state.head = 0
                }
            }
        }
    }

    func paysOverMCP(_ session: String) -> Bool {
        state.withLock { $0.members.contains(session) }
    }
}
