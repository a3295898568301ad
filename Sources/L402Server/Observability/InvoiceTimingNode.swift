import Lightning

/// The paywall's view of its Lightning node: the same node, with the time each invoice takes recorded
/// in `l402_invoice_duration_seconds`, so an operator (and `Benchmarks/gateway.sh`) can tell the
/// node's share of a 402 from the gateway's own.
struct InvoiceTimingNode: LightningNode {
    let node: any LightningNode
    let metrics: PaywallMetrics

    func createInvoice(amountSats: UInt64, memo: String, expirySeconds: Int) async throws -> CreatedInvoice {
        let clock = ContinuousClock()
        let start = clock.now
        defer { metrics.invoiceCreation(clock.now - start) }
        return try await node.createInvoice(amountSats: amountSats, memo: memo, expirySeconds: expirySeconds)
    }

    func invoiceState(paymentHash: [UInt8]) async throws -> InvoiceState {
        try await node.invoiceState(paymentHash: paymentHash)
    }

    func pay(paymentRequest: String, feeLimitSats: UInt64) async throws -> PaymentResult {
        try await node.pay(paymentRequest: paymentRequest, feeLimitSats: feeLimitSats)
    }

    func paymentStatus(paymentHash: [UInt8]) async throws -> PaymentStatus {
        try await node.paymentStatus(paymentHash: paymentHash)
    }

    func info() async throws -> NodeInfo {
        try await node.info()
    }
}
