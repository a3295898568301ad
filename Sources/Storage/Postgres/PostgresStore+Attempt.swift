import L402
import NIOCore
import PostgresNIO
import Synchronization

extension PostgresStore {
    /// One try on a pooled connection, given up (reported as a timeout) at `deadline` without waiting for
    /// it: the pool queues requests for up to a minute while it cannot connect, and a statement on a
    /// connection to an unreachable host (no reset, e.g. a network partition) would wait for TCP to give
    /// up, minutes later. An abandoned try is cancelled and ends when its connection does.
    func attempt<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result, until deadline: ContinuousClock.Instant
    ) async -> Swift.Result<Result, AttemptFailure> {
        let client = self.client
        let timeout = settings.timeout
        let first = FirstOffer<Swift.Result<Result, AttemptFailure>>()
        let work = Task {
            let started = Mutex(false)
            do {
                first.offer(.success(try await client.withConnection { connection in
                    started.withLock { $0 = true }
                    return try await body(connection)
                }))
            } catch {
                first.offer(.failure(AttemptFailure(error: error, started: started.withLock { $0 })))
            }
        }
        // An event loop's timer, not a sleeping task: it costs a heap entry instead of a task and a
        // dispatch timer on every database operation.
        let timer = eventLoopGroup.any().scheduleTask(in: TimeAmount(deadline - ContinuousClock.now)) {
            first.offer(.failure(AttemptFailure(error: PostgresFailure.TimedOut(after: timeout), started: true)))
        }
        let result = await withTaskCancellationHandler {
            await first.value()
        } onCancel: {
            first.offer(.failure(AttemptFailure(error: CancellationError(), started: true)))
        }
        timer.cancel()
        if case .failure = result { work.cancel() }
        return result
    }

    /// An attempt's error, and whether a connection had been handed out (so the statement may have been sent).
    struct AttemptFailure: Error {
        var error: any Error
        var started: Bool
    }
}

/// The first of several values offered from different tasks; later offers are ignored.
final class FirstOffer<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var waiter: CheckedContinuation<Value, Never>?
    }

    private let state = Mutex(State())

    func offer(_ value: Value) {
        let waiter = state.withLock { state -> CheckedContinuation<Value, Never>? in
            guard state.value == nil else { return nil }
            state.value = value
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: value)
    }

    /// Waits for the first offer (returns at once if there was one).
    func value() async -> Value {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Value? in
                if let value = state.value { return value }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
