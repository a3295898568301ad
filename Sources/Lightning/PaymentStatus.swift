/// What a node knows about a payment it sent (or tried to send), looked up by payment hash.
///
/// This is how a payer that lost the outcome of a payment (a crash, a broken connection) finds
/// it again without paying twice: a succeeded payment carries its preimage.
public enum PaymentStatus: Sendable, Equatable {
    /// The node never tried to pay this payment hash: paying it now is safe.
    case unknown
    /// Sent and not finished: paying again could pay twice, wait for the outcome.
    case inFlight
    /// Failed for good (the reason as a typed error): nothing was paid, paying again is safe.
    case failed(LightningError)
    /// Paid; the result carries the preimage, `SHA256(preimage) == paymentHash`.
    case succeeded(PaymentResult)
}
