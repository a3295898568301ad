import Lightning
/// Turns LND's answers into `LightningError`s.
///
/// LND reports most failures as gRPC status code 2 (UNKNOWN) over HTTP 500 with a message, so
/// besides the HTTP status and code we look at the well-known messages of lnd's source.
enum LNDErrorMapping {
    /// An error answer (non-2xx status, or an `{"error": …}` stream item).
    static func error(httpStatus: Int, status: LNDRPCStatus?) -> LightningError {
        let message = status?.message ?? ""
        let lowered = message.lowercased()
        let code = status?.code
        // gRPC codes: 5 NOT_FOUND, 7 PERMISSION_DENIED, 16 UNAUTHENTICATED.
        if httpStatus == 401 || httpStatus == 403 || code == 7 || code == 16
            || lowered.contains("permission denied") || lowered.contains("verification failed")
            || lowered.contains("macaroon")
        {
            return .unauthorized(message.isEmpty ? "HTTP \(httpStatus)" : message)
        }
        if lowered.contains("payment is in transition") { return .paymentInFlight }
        if code == 5 || lowered.contains("unable to locate invoice") || lowered.contains("there are no existing invoices") {
            return .invoiceNotFound
        }
        if lowered.contains("already paid") { return .alreadyPaid }
        if lowered.contains("invoice expired") { return .invoiceExpired }
        if lowered.contains("insufficient local balance") || lowered.contains("insufficient balance") { return .insufficientBalance }
        if lowered.contains("invalid payment request") || lowered.contains("invalid bech32") || lowered.contains("checksum failed")
            || lowered.contains("invoice not for current active network")
        {
            return .invalidInvoice(message)
        }
        if message.isEmpty { return .backend("HTTP \(httpStatus)") }
        return .backend("HTTP \(httpStatus): \(message)")
    }

    /// LND's answer to tracking a payment it never made: "payment isn't initiated", gRPC NOT_FOUND.
    static func isPaymentNotInitiated(_ status: LNDRPCStatus?) -> Bool {
        status?.code == 5 || (status?.message ?? "").lowercased().contains("isn't initiated")
    }

    /// A payment that ended in status FAILED with `failure_reason`.
    static func paymentFailure(reason: String?) -> LightningError {
        switch reason {
        case "FAILURE_REASON_NO_ROUTE": .noRoute
        case "FAILURE_REASON_INSUFFICIENT_BALANCE": .insufficientBalance
        case "FAILURE_REASON_TIMEOUT": .paymentFailed("timed out before a route succeeded")
        case "FAILURE_REASON_INCORRECT_PAYMENT_DETAILS":
            .paymentFailed("the payee rejected the payment details (unknown payment hash, wrong amount or CLTV delta)")
        case "FAILURE_REASON_CANCELED": .paymentFailed("canceled")
        case "FAILURE_REASON_ERROR": .paymentFailed("a non-recoverable error occurred")
        case let other?: .paymentFailed(other)
        case nil: .paymentFailed("no failure reason given")
        }
    }
}
