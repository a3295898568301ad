import Hummingbird
import NIOCore
import Synchronization

/// An upstream that answers its first `answered` requests at once and holds every later one until
/// `open()`: calls a test can count as in flight, without any timing assumption.
final class HeldUpstream: HTTPResponder, Sendable {
    typealias Context = BasicRequestContext

    private struct State {
        var answerNow: Int
        var held = 0
        var isOpen = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(answered: Int) {
        state = Mutex(State(answerNow: answered))
    }

    /// Requests held so far (in flight at the gateway).
    var held: Int { state.withLock { $0.held } }

    /// Answers every held request and every later one at once.
    func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if state.isOpen { return true }
                if state.answerNow > 0 {
                    state.answerNow -= 1
                    return true
                }
                state.held += 1
                state.waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "served")))
    }
}
