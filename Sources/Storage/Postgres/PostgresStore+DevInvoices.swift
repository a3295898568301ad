import L402
import Foundation
import Lightning
import PostgresNIO

extension PostgresStore: DevInvoiceStore {
    public func insert(_ record: DevInvoiceRecord) async throws {
        let amount = try record.amountMsat.databaseInteger("amount_msat")
        let hash = Data(record.paymentHash), preimage = Data(record.preimage)
        let created = record.createdAt.timeIntervalSince1970, expires = record.expiresAt.timeIntervalSince1970
        let settled = record.settledAt?.timeIntervalSince1970
        let inserted = try await perform(.once) { connection in
            try await connection.query(
                """
                INSERT INTO dev_invoices
                    (payment_hash, preimage, payment_request, amount_msat, memo, created_at, expires_at, settled_at)
                VALUES (\(hash), \(preimage), \(record.paymentRequest), \(amount), \(record.memo), \(created), \(expires), \(settled))
                ON CONFLICT (payment_hash) DO NOTHING RETURNING 1
                """, logger: self.logger
            ).hasRows()
        }
        guard inserted else { throw DuplicatePaymentHash() }
    }

    public func record(paymentHash: [UInt8]) async throws -> DevInvoiceRecord? {
        let hash = Data(paymentHash)
        return try await perform(.idempotent) { connection in
            let rows = try await connection.query(
                """
                SELECT preimage, payment_request, amount_msat, memo, created_at, expires_at, settled_at
                FROM dev_invoices WHERE payment_hash = \(hash)
                """, logger: self.logger)
            for try await (preimage, request, amount, memo, created, expires, settled) in rows.decode(
                (Data, String, Int64, String, Double, Double, Double?).self)
            {
                guard let amount = UInt64(exactly: amount) else { throw StorageError.corruptRow("dev invoice amount") }
                return DevInvoiceRecord(
                    paymentHash: paymentHash, preimage: [UInt8](preimage), paymentRequest: request, amountMsat: amount,
                    memo: memo, createdAt: Date(timeIntervalSince1970: created), expiresAt: Date(timeIntervalSince1970: expires),
                    settledAt: settled.map(Date.init(timeIntervalSince1970:)))
            }
            return nil
        }
    }

    /// `UPDATE … WHERE settled_at IS NULL RETURNING`: exactly one caller gets a row back.
    public func markSettled(paymentHash: [UInt8], at date: Date) async throws -> Bool {
        let hash = Data(paymentHash), settled = date.timeIntervalSince1970
        return try await perform(.once) { connection in
            try await connection.query(
                """
                UPDATE dev_invoices SET settled_at = \(settled) WHERE payment_hash = \(hash) AND settled_at IS NULL RETURNING 1
                """, logger: self.logger
            ).hasRows()
        }
    }

    public func deleteUnsettled(expiredBefore date: Date) async throws -> Int {
        let cutoff = date.timeIntervalSince1970
        return try await perform(.idempotent) { connection in
            try await connection.query(
                """
                WITH gone AS (DELETE FROM dev_invoices WHERE settled_at IS NULL AND expires_at < \(cutoff) RETURNING 1)
                SELECT count(*) FROM gone
                """, logger: self.logger
            ).single(Int.self)
        }
    }
}
