import Foundation
import Testing
@testable import L402Client

@Suite struct TokenCacheTests {
    let origin = Origin("http://127.0.0.1:8402")!

    func token(scope: String, hash: Character, calls: Int? = 3, expiresIn: TimeInterval? = 3600, paid: Bool = true) -> CachedToken {
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        return CachedToken(
            origin: origin.description, scope: scope, macaroon: "AgEEbHNhdA==", invoice: "lnbcrt1invoice",
            paymentHash: String(repeating: hash, count: 64), tokenID: String(repeating: "e", count: 64),
            amountSats: 7, tool: "weather", preimage: paid ? String(repeating: "0", count: 64) : nil,
            callsLimit: calls, expiresAt: expiresIn.map { now.addingTimeInterval($0) },
            invoiceExpiresAt: now.addingTimeInterval(600), createdAt: now, paidAt: paid ? now : nil)
    }

    @Test func severalScopesPerOriginSurviveAReloadInOneFile0600() async throws {
        let dir = try TemporaryDirectory()
        let cache = try TokenCache(directory: dir.path)
        let weather = token(scope: "/weather/", hash: "a")
        let search = token(scope: "/search/", hash: "b")
        try await cache.store(weather)
        try await cache.store(search)

        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
        #expect(files == ["http_127.0.0.1_8402.json"])
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.file(files[0]))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let reloaded = try TokenCache(directory: dir.path)
        #expect(try await reloaded.tokens(origin: origin) == [weather, search])
        #expect(try await reloaded.checkOut(origin: origin, path: "/search/q")?.paymentHash == search.paymentHash)
        #expect(try await reloaded.checkOut(origin: origin, path: "/weather")?.paymentHash == weather.paymentHash)
        #expect(try await reloaded.checkOut(origin: origin, path: "/maps/x") == nil)
        #expect(try await reloaded.checkOut(origin: Origin("http://127.0.0.1:8403")!, path: "/weather/x") == nil)
    }

    @Test func checkOutCountsCallsOnDiskAndSkipsSpentExpiredAndPendingTokens() async throws {
        let dir = try TemporaryDirectory()
        let cache = try TokenCache(directory: dir.path)
        try await cache.store(token(scope: "/w/", hash: "1", calls: 2))
        try await cache.store(token(scope: "/w/", hash: "2", calls: 5, expiresIn: -1))
        try await cache.store(token(scope: "/w/", hash: "3", calls: 5, paid: false))
        let first = try #require(try await cache.checkOut(origin: origin, path: "/w/a"))
        #expect(first.paymentHash.hasPrefix("1") && first.callsLeft == 1)
        #expect(try await TokenCache(directory: dir.path).tokens(origin: origin)[0].callsUsed == 1)
        #expect(try await cache.checkOut(origin: origin, path: "/w/b")?.callsLeft == 0)
        #expect(try await cache.checkOut(origin: origin, path: "/w/c") == nil)
        try await cache.giveBack(first)
        #expect(try await cache.checkOut(origin: origin, path: "/w/d")?.callsLeft == 0)
    }

    @Test func theMostSpecificScopeWins() async throws {
        let dir = try TemporaryDirectory()
        let cache = try TokenCache(directory: dir.path)
        try await cache.store(token(scope: "/", hash: "1", calls: nil))
        try await cache.store(token(scope: "/api/weather/", hash: "2"))
        #expect(try await cache.checkOut(origin: origin, path: "/api/weather/today")?.paymentHash.first == "2")
        #expect(try await cache.checkOut(origin: origin, path: "/api/search")?.paymentHash.first == "1")
    }

    @Test func pendingTokensAreClaimedOnceAndBecomeUsableWhenPaid() async throws {
        let dir = try TemporaryDirectory()
        let writer = try TokenCache(directory: dir.path)
        let pending = token(scope: "/w/", hash: "c", paid: false)
        try await writer.savePending(pending)
        // The writer is paying it right now: it does not offer it for recovery.
        #expect(try await writer.claimPending(origin: origin, path: "/w/x").isEmpty)

        // A new process (after a crash) finds it, once.
        let restarted = try TokenCache(directory: dir.path)
        #expect(try await restarted.claimPending(origin: origin, path: "/w/x").map(\.paymentHash) == [pending.paymentHash])
        #expect(try await restarted.claimPending(origin: origin, path: "/w/x").isEmpty)
        let paid = try await restarted.markPaid(pending, preimage: [UInt8](repeating: 0xab, count: 32), usingOneCall: false)
        #expect(paid.preimage == String(repeating: "ab", count: 32))
        #expect(paid.authorizationHeader == "L402 AgEEbHNhdA==:" + String(repeating: "ab", count: 32))
        #expect(try await TokenCache(directory: dir.path).checkOut(origin: origin, path: "/w/y")?.callsUsed == 1)
    }

    @Test func tokensAreFoundByAnIdPrefixAndRemoved() async throws {
        let dir = try TemporaryDirectory()
        let cache = try TokenCache(directory: dir.path)
        try await cache.store(token(scope: "/a/", hash: "a"))
        var other = token(scope: "/b/", hash: "b")
        other.origin = "https://example.com:443"
        try await cache.store(other)
        #expect(try await cache.allTokens().count == 2)
        #expect(try await cache.token(matching: "BBBB").origin == "https://example.com:443")
        await #expect(throws: TokenCacheError.notFound("cccc")) { try await cache.token(matching: "cccc") }
        await #expect(throws: TokenCacheError.ambiguous("eeee", matches: 2)) { try await cache.token(matching: "eeee") }
        #expect(try await cache.remove(other))
        #expect(try await !cache.remove(other))
        #expect(FileManager.default.fileExists(atPath: dir.file("https_example.com_443.json")) == false)
    }

    @Test func twoCachesOnOneDirectoryNeverHandOutMoreCallsThanTheTokenHas() async throws {
        let dir = try TemporaryDirectory()
        let a = try TokenCache(directory: dir.path), b = try TokenCache(directory: dir.path)
        try await a.store(token(scope: "/w/", hash: "d", calls: 10))
        let taken = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<20 {
                group.addTask { ((try? await (i % 2 == 0 ? a : b).checkOut(origin: origin, path: "/w/")) ?? nil) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(taken == 10)
    }

    @Test func readersNeverSeeAHalfWrittenFile() async throws {
        let dir = try TemporaryDirectory()
        let cache = try TokenCache(directory: dir.path)
        try await cache.store(token(scope: "/w/", hash: "f", calls: 1000))
        let path = dir.file(origin.fileName)
        // The reader is a thread of its own, not a task: under a busy cooperative pool a task might
        // not run at all while the writes happen, and the test would prove nothing.
        let reader = FileReader(path: path)
        reader.start()
        while reader.reads == 0 && reader.failure == nil { try await Task.sleep(for: .milliseconds(1)) }
        for _ in 0..<200 { _ = try await cache.checkOut(origin: origin, path: "/w/") }
        let readsDuringWrites = reader.stop()
        #expect(reader.failure == nil, "a reader saw a torn file: \(reader.failure ?? "")")
        #expect(readsDuringWrites > 1)
        #expect(try await cache.tokens(origin: origin)[0].callsUsed == 200)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            == [origin.fileName, origin.fileName + ".lock"])
    }

    @Test func aCorruptFileIsATypedErrorNotACrash() async throws {
        let dir = try TemporaryDirectory()
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: dir.file(origin.fileName)))
        let cache = try TokenCache(directory: dir.path)
        await #expect {
            try await cache.tokens(origin: origin)
        } throws: { error in
            guard case TokenCacheError.corrupt = error else { return false }
            return true
        }
    }
}

/// Reads and decodes a token file in a loop on its own thread until stopped, recording the first failure.
private final class FileReader: @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    private var count = 0
    private var error: String?
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)

    init(path: String) { self.path = path }

    var reads: Int { lock.withLock { count } }
    var failure: String? { lock.withLock { error } }

    func start() {
        Thread {
            while !self.lock.withLock({ self.stopped }) {
                do {
                    let data = try Data(contentsOf: URL(fileURLWithPath: self.path))
                    _ = try TokenFile.decoder.decode(TokenFile.Contents.self, from: data)
                    self.lock.withLock { self.count += 1 }
                } catch {
                    self.lock.withLock { self.error = self.error ?? "\(error)"; self.stopped = true }
                }
            }
            self.done.signal()
        }.start()
    }

    /// Stops the loop, waits for the thread, returns how many reads succeeded.
    func stop() -> Int {
        lock.withLock { stopped = true }
        done.wait()
        return reads
    }
}
