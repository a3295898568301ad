import L402Server
import NIOConcurrencyHelpers
import Vapor

/// Runs a paywall's background work (collecting expired challenges, writing ledger rows that
/// waited for the database) while the Vapor app runs: `app.lifecycle.use(PaywallLifecycle(paywall: paywall))`.
public final class PaywallLifecycle: LifecycleHandler, Sendable {
    /// The paywall whose background work this runs.
    public let paywall: Paywall
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    /// A lifecycle handler for this paywall.
    public init(paywall: Paywall) {
        self.paywall = paywall
    }

    public func didBootAsync(_ application: Application) async throws {
        let paywall = self.paywall
        task.withLockedValue { $0 = Task { try? await paywall.run() } }
    }

    public func shutdownAsync(_ application: Application) async {
        // Cancelling ends the loops; the ledger writes what still waits before `run` returns.
        guard let running = task.withLockedValue({ $0 }) else { return }
        running.cancel()
        await running.value
    }
}
