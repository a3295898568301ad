import Foundation

/// One invoice issued by `DevNode`, as kept in a `DevInvoiceStore`.
public struct DevInvoiceRecord: Sendable, Equatable {
    /// SHA-256 of `preimage`, 32 bytes; the record's key.
    public var paymentHash: [UInt8]
    /// The secret revealed when the invoice is paid, 32 bytes.
    public var preimage: [UInt8]
    /// The signed BOLT-11 string.
    public var paymentRequest: String
    /// The amount, in millisatoshis.
    public var amountMsat: UInt64
    /// The invoice's description.
    public var memo: String
    /// When the invoice was made.
    public var createdAt: Date
    /// When it stops being payable.
    public var expiresAt: Date
    /// When the invoice was paid; nil while it is unpaid.
    public var settledAt: Date?

    /// A record with every field as stored.
    public init(
        paymentHash: [UInt8], preimage: [UInt8], paymentRequest: String, amountMsat: UInt64, memo: String,
        createdAt: Date, expiresAt: Date, settledAt: Date? = nil
    ) {
        self.paymentHash = paymentHash
        self.preimage = preimage
        self.paymentRequest = paymentRequest
        self.amountMsat = amountMsat
        self.memo = memo
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.settledAt = settledAt
    }
}

/// Where `DevNode` keeps the invoices it issued. `InMemoryDevInvoiceStore` is for tests and
/// one-off runs; the Storage module provides a SQLite implementation that survives restarts.
public protocol DevInvoiceStore: Sendable {
    /// Adds a new record. Throws if a record with the same payment hash exists.
    func insert(_ record: DevInvoiceRecord) async throws
    /// The record with this payment hash, or nil.
    func record(paymentHash: [UInt8]) async throws -> DevInvoiceRecord?
    /// Atomically moves an unsettled record to settled at `at`. Returns true for exactly one caller;
    /// false when the record is already settled or does not exist.
    func markSettled(paymentHash: [UInt8], at: Date) async throws -> Bool
    /// Deletes unsettled records whose `expiresAt` is before `expiredBefore`; returns how many.
    func deleteUnsettled(expiredBefore: Date) async throws -> Int
}

/// Thrown by `InMemoryDevInvoiceStore.insert` for a payment hash it already holds.
public struct DuplicatePaymentHash: Error, CustomStringConvertible {
    /// The error.
    public init() {}
    public var description: String { "an invoice with this payment hash already exists" }
}
