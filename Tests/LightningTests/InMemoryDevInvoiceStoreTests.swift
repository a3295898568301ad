import Foundation
import Testing
import Lightning

/// The in-memory store's contract: what `DevNode` relies on (one settlement per invoice, cleanup of stale invoices).
@Suite struct InMemoryDevInvoiceStoreTests {
    static func record(expiresIn seconds: TimeInterval, now: Date = Date()) -> DevInvoiceRecord {
        var rng = SystemRandomNumberGenerator()
        return DevInvoiceRecord(
            paymentHash: (0..<32).map { _ in rng.next() }, preimage: (0..<32).map { _ in rng.next() },
            paymentRequest: "lnbcrt-test", amountMsat: 21_000, memo: "weather",
            createdAt: now, expiresAt: now.addingTimeInterval(seconds)
        )
    }

    @Test func storesAndSettlesOnce() async throws {
        let store: any DevInvoiceStore = InMemoryDevInvoiceStore()
        let record = Self.record(expiresIn: 600)
        try await store.insert(record)
        #expect(try await store.record(paymentHash: record.paymentHash) == record)

        let settledAt = Date()
        #expect(try await store.markSettled(paymentHash: record.paymentHash, at: settledAt))
        #expect(try await store.markSettled(paymentHash: record.paymentHash, at: settledAt) == false)
        #expect(try await store.record(paymentHash: record.paymentHash)?.settledAt == settledAt)
        #expect(try await store.markSettled(paymentHash: Array(repeating: 0, count: 32), at: settledAt) == false)
        #expect(try await store.record(paymentHash: Array(repeating: 0, count: 32)) == nil)
    }

    @Test func rejectsDuplicatePaymentHash() async throws {
        let store: any DevInvoiceStore = InMemoryDevInvoiceStore()
        let record = Self.record(expiresIn: 600)
        try await store.insert(record)
        await #expect(throws: DuplicatePaymentHash.self) { try await store.insert(record) }
    }

    @Test func concurrentSettlementsHaveOneWinner() async throws {
        let store: any DevInvoiceStore = InMemoryDevInvoiceStore()
        let record = Self.record(expiresIn: 600)
        try await store.insert(record)
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 { group.addTask { try await store.markSettled(paymentHash: record.paymentHash, at: Date()) } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
    }

    @Test func deletesOnlyExpiredUnsettled() async throws {
        let store: any DevInvoiceStore = InMemoryDevInvoiceStore()
        let now = Date()
        let stale = Self.record(expiresIn: -60, now: now)
        let paidStale = Self.record(expiresIn: -60, now: now)
        let fresh = Self.record(expiresIn: 600, now: now)
        for record in [stale, paidStale, fresh] { try await store.insert(record) }
        #expect(try await store.markSettled(paymentHash: paidStale.paymentHash, at: now))

        #expect(try await store.deleteUnsettled(expiredBefore: now) == 1)
        #expect(try await store.record(paymentHash: stale.paymentHash) == nil)
        #expect(try await store.record(paymentHash: paidStale.paymentHash) != nil)
        #expect(try await store.record(paymentHash: fresh.paymentHash) != nil)
    }
}
