import L402
import Foundation
import GRDB
import Lightning

extension SQLiteStore: DevInvoiceStore {
    public func insert(_ record: DevInvoiceRecord) async throws {
        let amount = try record.amountMsat.databaseInteger("amount_msat")
        do {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO dev_invoices
                            (payment_hash, preimage, payment_request, amount_msat, memo, created_at, expires_at, settled_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        Data(record.paymentHash), Data(record.preimage), record.paymentRequest, amount, record.memo,
                        record.createdAt.timeIntervalSince1970, record.expiresAt.timeIntervalSince1970,
                        record.settledAt?.timeIntervalSince1970,
                    ])
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw DuplicatePaymentHash()
        }
    }

    public func record(paymentHash: [UInt8]) async throws -> DevInvoiceRecord? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT preimage, payment_request, amount_msat, memo, created_at, expires_at, settled_at
                    FROM dev_invoices WHERE payment_hash = ?
                    """,
                arguments: [Data(paymentHash)])
            else { return nil }
            guard let preimage = row["preimage"] as Data?, let amount = UInt64(exactly: row["amount_msat"] as Int64) else {
                throw StorageError.corruptRow("dev invoice preimage or amount")
            }
            return DevInvoiceRecord(
                paymentHash: paymentHash, preimage: [UInt8](preimage), paymentRequest: row["payment_request"], amountMsat: amount,
                memo: row["memo"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
                expiresAt: Date(timeIntervalSince1970: row["expires_at"]),
                settledAt: (row["settled_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
    }

    /// `UPDATE … WHERE settled_at IS NULL`: exactly one caller sees a changed row.
    public func markSettled(paymentHash: [UInt8], at date: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE dev_invoices SET settled_at = ? WHERE payment_hash = ? AND settled_at IS NULL",
                arguments: [date.timeIntervalSince1970, Data(paymentHash)])
            return db.changesCount == 1
        }
    }

    public func deleteUnsettled(expiredBefore date: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM dev_invoices WHERE settled_at IS NULL AND expires_at < ?",
                arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
    }
}
