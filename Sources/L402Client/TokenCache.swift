import ByteEncoding
import Foundation
import L402

/// The client's tokens on disk: one JSON file per origin in a directory (`~/.l402/tokens` by
/// default), each holding several tokens keyed by scope (the tool's path prefix), so a host that
/// serves several tools does not make the client pay again and again.
///
/// Files are written atomically with permissions 0600 (they hold preimages) and locked while
/// changed, so several processes can share the directory.
public actor TokenCache {
    /// The directory holding the files.
    public nonisolated let directory: String
    /// Payment hashes (hex) a payment is under way for in this process, so crash recovery never
    /// pays an invoice that another task of this process is paying right now.
    private var inFlight: Set<String> = []

    /// A cache in `directory`, created (0700) if missing.
    public init(directory: String) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw TokenCacheError.io(path: directory, reason: "\(error)")
        }
    }

    /// `$L402_TOKEN_DIR`, or `~/.l402/tokens`.
    public static var defaultDirectory: String {
        if let dir = ProcessInfo.processInfo.environment["L402_TOKEN_DIR"], !dir.isEmpty { return dir }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".l402/tokens")
    }

    private func file(_ origin: Origin) -> TokenFile {
        TokenFile(directory: directory, origin: origin)
    }

    // MARK: Reading

    /// Every token of `origin`, in the order they were saved.
    public func tokens(origin: Origin) throws -> [CachedToken] {
        try file(origin).read()
    }

    /// Every token in the cache, all origins.
    public func allTokens() throws -> [CachedToken] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw TokenCacheError.io(path: directory, reason: "\(error)")
        }
        return try names.filter { $0.hasSuffix(".json") }.sorted().flatMap { name in
            try TokenFile(path: (directory as NSString).appendingPathComponent(name)).read()
        }
    }

    /// The one token whose payment hash or token id starts with `idPrefix` (hex, at least 4 characters).
    public func token(matching idPrefix: String) throws -> CachedToken {
        let prefix = idPrefix.lowercased()
        let matches = try prefix.count < 4 ? [] : allTokens().filter {
            $0.paymentHash.hasPrefix(prefix) || ($0.tokenID?.hasPrefix(prefix) ?? false)
        }
        switch matches.count {
        case 0: throw TokenCacheError.notFound(idPrefix)
        case 1: return matches[0]
        default: throw TokenCacheError.ambiguous(idPrefix, matches: matches.count)
        }
    }

    // MARK: Using tokens

    /// Takes one call from the best paid token of `origin` that covers `path` (the most specific
    /// scope first, then the one with the most calls left), or nil when there is none.
    /// The call is counted on disk before the request goes out.
    public func checkOut(origin: Origin, path: String, now: Date = Date()) throws -> CachedToken? {
        try file(origin).update { tokens in
            let candidates = tokens.indices.filter { tokens[$0].isUsable(at: now) && tokens[$0].covers(path: path) }
            guard let best = candidates.max(by: { a, b in
                let (ta, tb) = (tokens[a], tokens[b])
                if ta.scope.count != tb.scope.count { return ta.scope.count < tb.scope.count }
                return (ta.callsLeft ?? .max) < (tb.callsLeft ?? .max)
            }) else { return nil }
            tokens[best].callsUsed += 1
            return tokens[best]
        }
    }

    /// Gives back a call taken by `checkOut` that the server did not spend (it answered 5xx).
    public func giveBack(_ token: CachedToken) throws {
        guard let origin = Origin(token.origin) else { return }
        try file(origin).update { tokens in
            if let i = tokens.firstIndex(where: { $0.paymentHash == token.paymentHash }), tokens[i].callsUsed > 0 {
                tokens[i].callsUsed -= 1
            }
        }
    }

    // MARK: Paying

    /// Saves a token about to be paid (no preimage yet) and marks it in flight in this process.
    /// Call before paying: after a crash, `pendingTokens` finds it and the payment can be resumed.
    public func savePending(_ token: CachedToken) throws {
        guard let origin = Origin(token.origin) else {
            throw TokenCacheError.io(path: directory, reason: "not an http(s) origin: \(token.origin)")
        }
        inFlight.insert(token.paymentHash)
        do {
            try file(origin).update { tokens in
                tokens.removeAll { $0.paymentHash == token.paymentHash }
                tokens.append(token)
            }
        } catch {
            inFlight.remove(token.paymentHash)
            throw error
        }
    }

    /// Pending tokens of `origin` covering `path` that no task of this process is paying, and
    /// marks them in flight: the caller now owns their recovery and must end it with
    /// `markPaid` or `remove` (or `abandon`).
    public func claimPending(origin: Origin, path: String) throws -> [CachedToken] {
        let pending = try file(origin).read().filter {
            $0.isPending && $0.covers(path: path) && !inFlight.contains($0.paymentHash)
        }
        for token in pending { inFlight.insert(token.paymentHash) }
        return pending
    }

    /// Records the preimage of a pending token, making it usable; `usingOneCall` counts the
    /// call about to be made with it. Returns the stored token.
    @discardableResult
    public func markPaid(
        _ token: CachedToken, preimage: [UInt8], usingOneCall: Bool = true, now: Date = Date()
    ) throws -> CachedToken {
        defer { inFlight.remove(token.paymentHash) }
        guard let origin = Origin(token.origin) else { return token }
        return try file(origin).update { tokens in
            var paid = tokens.first(where: { $0.paymentHash == token.paymentHash }) ?? token
            paid.preimage = Hex.encode(preimage)
            paid.paidAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
            if usingOneCall { paid.callsUsed += 1 }
            tokens.removeAll { $0.paymentHash == token.paymentHash }
            tokens.append(paid)
            return paid
        }
    }

    /// Keeps the server's `Payment-Receipt` with the token it answered (beside the tokens, in the
    /// origin's file). Returns the stored token, or nil when the token is no longer there.
    @discardableResult
    public func recordReceipt(_ receipt: PaymentReceipt, for token: CachedToken) throws -> CachedToken? {
        guard let origin = Origin(token.origin) else { return nil }
        return try file(origin).update { tokens in
            guard let i = tokens.firstIndex(where: { $0.paymentHash == token.paymentHash }) else { return nil }
            tokens[i].receipt = receipt
            return tokens[i]
        }
    }

    /// Stops tracking a payment of this process without touching the file (the payment's outcome
    /// is unknown: the pending entry stays for a later recovery).
    public func abandon(_ token: CachedToken) {
        inFlight.remove(token.paymentHash)
    }

    /// Stores a paid token as it is (e.g. one imported from a delegating agent).
    public func store(_ token: CachedToken) throws {
        try savePending(token)
        inFlight.remove(token.paymentHash)
    }

    /// Deletes the token with `paymentHash` (hex) of `origin`; true if it was there.
    @discardableResult
    public func remove(origin: Origin, paymentHash: String) throws -> Bool {
        inFlight.remove(paymentHash)
        return try file(origin).update { tokens in
            let before = tokens.count
            tokens.removeAll { $0.paymentHash == paymentHash }
            return tokens.count != before
        }
    }

    /// Deletes `token`; true if it was there.
    @discardableResult
    public func remove(_ token: CachedToken) throws -> Bool {
        guard let origin = Origin(token.origin) else { return false }
        return try remove(origin: origin, paymentHash: token.paymentHash)
    }
}
