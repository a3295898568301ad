import Foundation

/// A `DevInvoiceStore` held in memory: for tests and runs that need not survive a restart.
/// Being an actor makes `markSettled` atomic.
public actor InMemoryDevInvoiceStore: DevInvoiceStore {
    private var records: [[UInt8]: DevInvoiceRecord] = [:]

    /// An empty store.
    public init() {}

    public func insert(_ record: DevInvoiceRecord) throws {
        guard records[record.paymentHash] == nil else { throw DuplicatePaymentHash() }
        records[record.paymentHash] = record
    }

    public func record(paymentHash: [UInt8]) -> DevInvoiceRecord? {
        records[paymentHash]
    }

    public func markSettled(paymentHash: [UInt8], at date: Date) -> Bool {
        guard var record = records[paymentHash], record.settledAt == nil else { return false }
        record.settledAt = date
        records[paymentHash] = record
        return true
    }

    public func deleteUnsettled(expiredBefore date: Date) -> Int {
        let doomed = records.values.filter { $0.settledAt == nil && $0.expiresAt < date }.map(\.paymentHash)
        for hash in doomed { records[hash] = nil }
        return doomed.count
    }
}
