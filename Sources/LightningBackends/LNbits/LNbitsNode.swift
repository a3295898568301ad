import Bolt11
import ByteEncoding
import Foundation
import Lightning
import Logging
import NIOCore
import NIOHTTP1

/// A `LightningNode` backed by one LNbits wallet (LNbits 1.x):
///
/// - create invoice: `POST /api/v1/payments` with `{"out": false, "amount", "unit": "sat", "memo", "expiry"}`
/// - invoice state and payment status: `GET /api/v1/payments/{payment_hash}`
/// - pay: `GET /api/v1/payments/fee-reserve` (the routing fee LNbits may spend, checked against the
///   fee limit), then `POST /api/v1/payments` with `{"out": true, "bolt11"}` (admin key)
/// - info: `GET /api/v1/wallet` and the newest invoice among `GET /api/v1/payments` (LNbits tells
///   a wallet key nothing else of its node)
///
/// With the invoice key it serves a gateway; with the admin key it can also pay.
public final class LNbitsNode: LightningNode {
    /// Where and how the node is reached.
    public let configuration: LNbitsConfiguration
    private let rest: RESTClient

    /// A node for this configuration, logging to `logger` (never a secret).
    public init(configuration: LNbitsConfiguration, logger: Logger = Logger(label: "l402.lightning.lnbits")) throws(LightningError) {
        self.configuration = configuration
        self.rest = try RESTClient(
            baseURL: configuration.url, pinnedCertificatePath: nil, certificateSetting: LNbitsConfiguration.Key.url,
            requestTimeoutSeconds: configuration.requestTimeoutSeconds, logger: logger)
    }

    public func createInvoice(amountSats: UInt64, memo: String, expirySeconds: Int) async throws -> CreatedInvoice {
        guard amountSats > 0, expirySeconds > 0 else { throw LightningError.invalidInvoice("amount and expiry must be positive") }
        let request = LNbitsCreateInvoice(amount: amountSats, memo: memo, expiry: expirySeconds)
        let payment: LNbitsPayment = try await call(.POST, "/api/v1/payments", body: request)
        let hash = try BackendChecks.hash(hex: payment.paymentHash, field: "payment_hash")
        return try BackendChecks.createdInvoice(paymentRequest: payment.bolt11, reportedHash: hash)
    }

    public func invoiceState(paymentHash: [UInt8]) async throws -> InvoiceState {
        guard let found = try await lookUp(paymentHash) else { throw LightningError.invoiceNotFound }
        if found.paid { return .settled }
        // LNbits marks an unpaid invoice failed once it expired (or its funding source dropped it).
        let expired = try found.details.map { try Self.hasExpired($0.bolt11) } ?? false
        if found.status == "failed" { return expired ? .expired : .cancelled }
        return expired ? .expired : .open
    }

    public func pay(paymentRequest: String, feeLimitSats: UInt64) async throws -> PaymentResult {
        let hash = try BackendChecks.paymentHash(of: paymentRequest)
        guard let escaped = paymentRequest.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else {
            throw LightningError.invalidInvoice("not a BOLT-11 string")
        }
        let reserve: LNbitsFeeReserve = try await call(.GET, "/api/v1/payments/fee-reserve?invoice=\(escaped)", paying: true)
        guard reserve.feeReserve <= Int64(clamping: feeLimitSats) * 1000 else {
            throw LightningError.paymentFailed(
                "LNbits lets its funding source spend up to \(reserve.feeReserve / 1000) sats of routing fee, over the fee limit of \(feeLimitSats) sats")
        }
        let timeout = TimeAmount.seconds(Int64(configuration.paymentTimeoutSeconds + configuration.requestTimeoutSeconds))
        let payment: LNbitsPayment = try await call(.POST, "/api/v1/payments", body: LNbitsPayInvoice(bolt11: paymentRequest), timeout: timeout, paying: true)
        guard try BackendChecks.hash(hex: payment.paymentHash, field: "payment_hash") == hash else {
            throw LightningError.malformedResponse("LNbits paid another payment hash than the invoice's")
        }
        switch payment.status {
        case "success": return try BackendChecks.succeeded(paymentHash: hash, preimageHex: payment.preimage, feeMsat: payment.fee.map { -$0 })
        // LNbits answers "pending" when its funding source did not finish within its own wait.
        case "pending": throw LightningError.paymentInFlight
        case "failed": throw LightningError.paymentFailed("LNbits reports the payment failed")
        default: throw LightningError.malformedResponse("unknown payment status '\(payment.status.prefix(40))'")
        }
    }

    /// This wallet's outgoing payment of the hash; an incoming one of the same hash is not ours to report.
    public func paymentStatus(paymentHash: [UInt8]) async throws -> PaymentStatus {
        guard let found = try await lookUp(paymentHash), let details = found.details, details.amount < 0 else { return .unknown }
        if found.paid || details.status == "success" {
            let fee = details.fee.map { -$0 }
            return .succeeded(try BackendChecks.succeeded(paymentHash: paymentHash, preimageHex: found.preimage ?? details.preimage, feeMsat: fee))
        }
        switch details.status {
        case "failed": return .failed(.paymentFailed("LNbits reports the payment failed"))
        case "pending": return .inFlight
        default: throw LightningError.malformedResponse("unknown payment status '\(details.status.prefix(40))'")
        }
    }

    public func info() async throws -> NodeInfo {
        let wallet: LNbitsWalletInfo = try await call(.GET, "/api/v1/wallet")
        // The newest invoice the wallet issued (incoming: a positive amount) names the node; a payment
        // it made names another.
        let payments: [LNbitsPayment] = try await call(.GET, "/api/v1/payments?limit=50")
        guard let newest = payments.first(where: { $0.amount > 0 }) else {
            throw LightningError.backend("LNbits names its node to a wallet key only through an invoice; this wallet has none yet")
        }
        let invoice: Invoice
        do { invoice = try Invoice.decode(newest.bolt11) } catch {
            throw LightningError.malformedResponse("the wallet's newest invoice is not valid BOLT-11: \(error)")
        }
        guard let payee = invoice.payee else { throw LightningError.malformedResponse("the wallet's newest invoice names no payee") }
        return NodeInfo(publicKey: payee, alias: wallet.name, network: invoice.network)
    }

    // MARK: - HTTP

    /// `GET /api/v1/payments/{payment_hash}`; nil when LNbits has no such payment (404 "Payment does not exist.").
    private func lookUp(_ paymentHash: [UInt8]) async throws -> LNbitsPaymentLookup? {
        guard paymentHash.count == 32 else { throw LightningError.invalidInvoice("a payment hash is 32 bytes") }
        let path = "/api/v1/payments/\(Hex.encode(paymentHash))"
        let answer = try await rest.exchange(.GET, path, headers: [("X-Api-Key", configuration.apiKey)])
        if answer.status == 404 {
            let body = try? LNbitsJSON.decoder().decode(LNbitsErrorBody.self, from: Data(answer.body))
            if body?.detail?.hasPrefix("Payment does not exist") == true { return nil }
        }
        return try Self.decode(answer, what: path, paying: false)
    }

    private func call<Answer: Decodable>(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<String>.none, timeout: TimeAmount? = nil, paying: Bool = false
    ) async throws -> Answer {
        let data: Data?
        do { data = try body.map { try LNbitsJSON.encoder().encode($0) } } catch { throw LightningError.backend("cannot encode the request") }
        let answer = try await rest.exchange(
            method, path, headers: [("X-Api-Key", configuration.apiKey)], body: data.map { .json($0) }, timeout: timeout)
        return try Self.decode(answer, what: String(path.prefix(while: { $0 != "?" })), paying: paying)
    }

    private static func decode<Answer: Decodable>(_ answer: RESTClient.Answer, what: String, paying: Bool) throws(LightningError) -> Answer {
        guard (200..<300).contains(answer.status) else {
            let body = try? LNbitsJSON.decoder().decode(LNbitsErrorBody.self, from: Data(answer.body))
            throw LNbitsErrorMapping.error(httpStatus: answer.status, body: body, paying: paying)
        }
        return try RESTClient.decode(Answer.self, answer, decoder: LNbitsJSON.decoder(), what: what)
    }

    private static func hasExpired(_ bolt11: String) throws -> Bool {
        guard let invoice = try? Invoice.decode(bolt11) else { throw LightningError.malformedResponse("the payment's bolt11 is not valid BOLT-11") }
        return UInt64(Date().timeIntervalSince1970) >= invoice.expiresAt
    }
}
