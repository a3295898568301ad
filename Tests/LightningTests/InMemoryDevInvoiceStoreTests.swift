import LightningTestSupport
import Testing
import Lightning

/// The in-memory store against the `DevInvoiceStore` contract (the same checks Storage's SQLite store runs).
@Suite struct InMemoryDevInvoiceStoreTests {
    @Test func roundTrips() async throws { try await DevInvoiceStoreConformance.roundTrips(InMemoryDevInvoiceStore()) }
    @Test func rejectsDuplicates() async throws { try await DevInvoiceStoreConformance.rejectsDuplicates(InMemoryDevInvoiceStore()) }
    @Test func settlesOnce() async throws { try await DevInvoiceStoreConformance.settlesOnce(InMemoryDevInvoiceStore()) }
    @Test func settlesOnceUnderConcurrency() async throws {
        try await DevInvoiceStoreConformance.settlesOnceUnderConcurrency(InMemoryDevInvoiceStore())
    }
    @Test func deletesOnlyExpiredUnsettled() async throws {
        try await DevInvoiceStoreConformance.deletesOnlyExpiredUnsettled(InMemoryDevInvoiceStore())
    }

    @Test func duplicateErrorIsTyped() async throws {
        let store = InMemoryDevInvoiceStore()
        let record = DevInvoiceStoreConformance.sampleRecord(expiresIn: 600)
        try await store.insert(record)
        await #expect(throws: DuplicatePaymentHash.self) { try await store.insert(record) }
    }
}
