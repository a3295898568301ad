import Hummingbird
import NIOCore
import Synchronization

/// An upstream that answers 500 to its first `failures` requests, then recovers and answers 200.
final class FlakyUpstream: HTTPResponder, Sendable {
    typealias Context = BasicRequestContext
    private let remainingFailures: Mutex<Int>

    init(failures: Int) { remainingFailures = Mutex(failures) }

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let fail = remainingFailures.withLock { remaining in
            defer { remaining -= 1 }
            return remaining > 0
        }
        return fail
            ? Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "boom")))
            : Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "recovered")))
    }
}
