import Bolt11
import ByteEncoding
import Crypto
import Foundation
import Lightning

/// Checks every backend applies to what a node reports, so a node's mistake (or a stand-in's) never
/// becomes a wrong invoice or an unproven payment.
enum BackendChecks {
    /// 32 bytes written as hex, or `.malformedResponse` naming `field`.
    static func hash(hex: String?, field: String) throws(LightningError) -> [UInt8] {
        guard let hex, let bytes = try? Hex.decode(hex), bytes.count == 32 else {
            throw .malformedResponse("\(field) is not 32 bytes of hex")
        }
        return bytes
    }

    /// The invoice a node just issued, read from its BOLT-11 string: the payment hash must be the one
    /// the node reported, and the expiry is the invoice's own (timestamp + expiry).
    static func createdInvoice(paymentRequest: String, reportedHash: [UInt8]) throws(LightningError) -> CreatedInvoice {
        let decoded: Invoice
        do {
            decoded = try Invoice.decode(paymentRequest)
        } catch {
            throw .malformedResponse("the node's invoice is not valid BOLT-11: \(error)")
        }
        guard decoded.paymentHash == reportedHash else {
            throw .malformedResponse("the node's invoice carries another payment hash than the one it reported")
        }
        return CreatedInvoice(
            paymentRequest: paymentRequest, paymentHash: reportedHash,
            expiresAt: Date(timeIntervalSince1970: TimeInterval(decoded.expiresAt)))
    }

    /// A payment the node says succeeded: its preimage must open the payment hash, or it proves nothing.
    static func succeeded(paymentHash: [UInt8], preimageHex: String?, feeMsat: Int64?) throws(LightningError) -> PaymentResult {
        let preimage = try hash(hex: preimageHex, field: "the payment preimage")
        guard Array(SHA256.hash(data: preimage)) == paymentHash else {
            throw .malformedResponse("the payment preimage does not hash to the payment hash")
        }
        return PaymentResult(paymentHash: paymentHash, preimage: preimage, feeMsat: UInt64(clamping: max(0, feeMsat ?? 0)))
    }

    /// The payment hash of an invoice we are about to pay, or `.invalidInvoice`.
    static func paymentHash(of paymentRequest: String) throws(LightningError) -> [UInt8] {
        do {
            return try Invoice.decode(paymentRequest).paymentHash
        } catch {
            throw .invalidInvoice("\(error)")
        }
    }
}
