import L402
import Foundation
import Synchronization

/// Per-client token buckets that cap how fast one client can make the gateway issue invoices.
///
/// Every 402 creates an invoice on the Lightning node and a root key in the database, so an
/// unauthenticated client could otherwise flood both. Each client key gets a bucket of `burst`
/// tokens refilled at `perMinute / 60` tokens a second; issuing a challenge takes one token.
///
/// Memory is bounded: at most `maxClients` buckets are kept. When that many are tracked, buckets
/// that have refilled completely (idle clients, indistinguishable from new ones) are dropped; if
/// none has, a tenth of all buckets is dropped. Dropping a bucket only ever makes the limiter more
/// lenient for that client, never stricter.
final class ChallengeRateLimiter: Sendable {
    /// The answer for one challenge.
    enum Decision: Equatable {
        case allowed
        /// Over the limit: the next token is available in this many whole seconds (at least 1).
        case limited(retryAfterSeconds: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    let limit: ChallengeRateLimit
    let maxClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    /// Tokens added per second.
    private var refillRate: Double { Double(limit.perMinute) / 60 }

    init(limit: ChallengeRateLimit, maxClients: Int = 10_000) {
        self.limit = limit
        self.maxClients = max(1, maxClients)
    }

    /// Takes one token from `client`'s bucket at time `now`, or says how long to wait for one.
    func admit(_ client: String, now: Date) -> Decision {
        guard limit.isEnabled else { return .allowed }
        return buckets.withLock { buckets in
            var bucket: Bucket
            if let existing = buckets[client] {
                bucket = existing
                // A clock that steps back (NTP) must not drain or overfill the bucket.
                let elapsed = max(0, now.timeIntervalSince(bucket.updated))
                bucket.tokens = min(Double(limit.burst), bucket.tokens + elapsed * refillRate)
            } else {
                if buckets.count >= maxClients { evict(from: &buckets, now: now) }
                bucket = Bucket(tokens: Double(limit.burst), updated: now)
            }
            bucket.updated = max(bucket.updated, now)
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed
            } else {
                let wait = (1 - bucket.tokens) / refillRate
                decision = .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
            }
            buckets[client] = bucket
            return decision
        }
    }

    /// How many clients are tracked (for tests of the memory bound).
    var trackedClients: Int { buckets.withLock { $0.count } }

    private func evict(from buckets: inout [String: Bucket], now: Date) {
        let burst = Double(limit.burst)
        let rate = refillRate
        buckets = buckets.filter { _, bucket in
            bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate < burst
        }
        guard buckets.count >= maxClients else { return }
        // Everyone is active: drop a batch so the next inserts are cheap again.
        let keep = buckets.count - max(1, buckets.count / 10)
        buckets = Dictionary(uniqueKeysWithValues: buckets.prefix(keep).map { ($0.key, $0.value) })
    }
}
