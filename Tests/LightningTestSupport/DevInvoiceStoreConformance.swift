import Foundation
import Lightning

/// The `DevInvoiceStore` contract as executable checks, so every implementation (in memory here,
/// SQLite in Storage) is held to the same behaviour `DevNode` relies on. Each check takes a fresh,
/// empty store and throws `Failure` with what went wrong.
///
///     @Test func settlesOnce() async throws { try await DevInvoiceStoreConformance.settlesOnce(makeStore()) }
public enum DevInvoiceStoreConformance {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A record with random hash and preimage; dates on whole milliseconds (what databases keep).
    public static func sampleRecord(expiresIn seconds: TimeInterval, now: Date = Date()) -> DevInvoiceRecord {
        let now = Date(timeIntervalSince1970: (now.timeIntervalSince1970 * 1000).rounded() / 1000)
        return DevInvoiceRecord(
            paymentHash: (0..<32).map { _ in UInt8.random(in: 0...255) }, preimage: (0..<32).map { _ in UInt8.random(in: 0...255) },
            paymentRequest: "lnbcrt210n1-sample", amountMsat: 21_000, memo: "weather ☀", createdAt: now,
            expiresAt: now.addingTimeInterval(seconds)
        )
    }

    /// What goes in comes back out, field for field; unknown hashes give nil.
    public static func roundTrips(_ store: any DevInvoiceStore) async throws {
        let record = sampleRecord(expiresIn: 600)
        try await store.insert(record)
        try expect(try await store.record(paymentHash: record.paymentHash), matches: record, "after insert")
        try check(try await store.record(paymentHash: Array(repeating: 0, count: 32)) == nil, "an unknown hash must give nil")
    }

    /// A second record with the same payment hash is refused.
    public static func rejectsDuplicates(_ store: any DevInvoiceStore) async throws {
        let record = sampleRecord(expiresIn: 600)
        try await store.insert(record)
        var duplicate = record
        duplicate.memo = "other"
        do {
            try await store.insert(duplicate)
        } catch {
            try expect(try await store.record(paymentHash: record.paymentHash), matches: record, "after a refused duplicate")
            return
        }
        throw Failure(description: "inserting a duplicate payment hash must throw")
    }

    /// `markSettled` is true once, then false; false for an unknown hash; the record keeps `settledAt`.
    public static func settlesOnce(_ store: any DevInvoiceStore) async throws {
        let record = sampleRecord(expiresIn: 600)
        try await store.insert(record)
        let settledAt = record.createdAt.addingTimeInterval(5)
        try check(try await store.markSettled(paymentHash: record.paymentHash, at: settledAt), "first markSettled must be true")
        try check(!(try await store.markSettled(paymentHash: record.paymentHash, at: settledAt)), "second markSettled must be false")
        try check(!(try await store.markSettled(paymentHash: Array(repeating: 0, count: 32), at: settledAt)), "unknown hash must be false")
        var settled = record
        settled.settledAt = settledAt
        try expect(try await store.record(paymentHash: record.paymentHash), matches: settled, "after markSettled")
    }

    /// Of 20 concurrent `markSettled` calls exactly one wins.
    public static func settlesOnceUnderConcurrency(_ store: any DevInvoiceStore) async throws {
        let record = sampleRecord(expiresIn: 600)
        try await store.insert(record)
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 { group.addTask { try await store.markSettled(paymentHash: record.paymentHash, at: Date()) } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        try check(wins == 1, "exactly one of 20 concurrent markSettled calls must win, \(wins) did")
    }

    /// `deleteUnsettled` removes expired unsettled records only, and counts them.
    public static func deletesOnlyExpiredUnsettled(_ store: any DevInvoiceStore) async throws {
        let now = Date()
        let stale = sampleRecord(expiresIn: -60, now: now)
        let paidStale = sampleRecord(expiresIn: -60, now: now)
        let fresh = sampleRecord(expiresIn: 600, now: now)
        for record in [stale, paidStale, fresh] { try await store.insert(record) }
        _ = try await store.markSettled(paymentHash: paidStale.paymentHash, at: now)
        let deleted = try await store.deleteUnsettled(expiredBefore: now)
        try check(deleted == 1, "deleteUnsettled must delete the 1 expired unsettled record, deleted \(deleted)")
        try check(try await store.record(paymentHash: stale.paymentHash) == nil, "the expired unsettled record must be gone")
        try check(try await store.record(paymentHash: paidStale.paymentHash) != nil, "a settled record must stay")
        try check(try await store.record(paymentHash: fresh.paymentHash) != nil, "an unexpired record must stay")
    }

    private static func check(_ condition: Bool, _ message: String) throws {
        if !condition { throw Failure(description: message) }
    }

    /// Field-by-field equality, dates to the millisecond.
    private static func expect(_ actual: DevInvoiceRecord?, matches expected: DevInvoiceRecord, _ when: String) throws {
        guard let actual else { throw Failure(description: "\(when): record missing") }
        func same(_ a: Date?, _ b: Date?) -> Bool {
            switch (a, b) {
            case (nil, nil): true
            case let (a?, b?): abs(a.timeIntervalSince(b)) < 0.001
            default: false
            }
        }
        let mismatches = [
            actual.paymentHash == expected.paymentHash ? nil : "paymentHash",
            actual.preimage == expected.preimage ? nil : "preimage",
            actual.paymentRequest == expected.paymentRequest ? nil : "paymentRequest",
            actual.amountMsat == expected.amountMsat ? nil : "amountMsat",
            actual.memo == expected.memo ? nil : "memo",
            same(actual.createdAt, expected.createdAt) ? nil : "createdAt",
            same(actual.expiresAt, expected.expiresAt) ? nil : "expiresAt",
            same(actual.settledAt, expected.settledAt) ? nil : "settledAt",
        ].compactMap { $0 }
        if !mismatches.isEmpty { throw Failure(description: "\(when): stored record differs in \(mismatches.joined(separator: ", "))") }
    }
}
