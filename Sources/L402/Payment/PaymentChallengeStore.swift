import Foundation

/// The one piece of state the `Payment` scheme needs: a challenge succeeds at most once
/// (draft-lightning-charge-00 §9), for a server built from the `L402` types alone. The paywall core
/// (`L402Server`) does not use it: it meters each charge as a one-call token in its database, which
/// every gateway sharing the database shares.
///
/// Call `consume` after `PaymentVerifier.verify` succeeded and before serving; serve only when
/// it returns true. On upstream failure the draft says the challenge stays consumed (Lightning
/// cannot refund); `release` exists for servers that choose to let the client retry the same
/// credential after a failure that happened before anything was delivered.
public protocol PaymentChallengeStore: Sendable {
    /// Atomically marks the challenge consumed; false if it (or its payment hash, under either
    /// scheme) already was. Keep the record at least until `payment.expiresAt`.
    func consume(_ payment: VerifiedPayment) async throws -> Bool

    /// Undoes a `consume` whose call was not served.
    func release(_ payment: VerifiedPayment) async throws

    /// Forgets consumed challenges that expired before `date` (they can no longer verify).
    func deleteExpired(before date: Date) async throws -> Int
}

/// A `PaymentChallengeStore` in memory: for tests and a single process.
public actor InMemoryPaymentChallengeStore: PaymentChallengeStore {
    private var consumed: [String: VerifiedPayment] = [:]
    private var hashes: Set<[UInt8]> = []

    /// An empty store.
    public init() {}

    public func consume(_ payment: VerifiedPayment) -> Bool {
        guard consumed[payment.challengeID] == nil, !hashes.contains(payment.paymentHash) else { return false }
        consumed[payment.challengeID] = payment
        hashes.insert(payment.paymentHash)
        return true
    }

    public func release(_ payment: VerifiedPayment) {
        guard consumed.removeValue(forKey: payment.challengeID) != nil else { return }
        hashes.remove(payment.paymentHash)
    }

    public func deleteExpired(before date: Date) -> Int {
        let doomed = consumed.values.filter { $0.expiresAt < date }
        for payment in doomed {
            consumed.removeValue(forKey: payment.challengeID)
            hashes.remove(payment.paymentHash)
        }
        return doomed.count
    }
}
