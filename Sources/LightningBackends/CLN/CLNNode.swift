import ByteEncoding
import Foundation
import Lightning
import Logging
import NIOCore

/// A `LightningNode` backed by Core Lightning's `clnrest` (CLN 24.x or newer):
///
/// - create invoice: `POST /v1/invoice` (`amount_msat`, a fresh `label`, `description`, `expiry`)
/// - invoice state: `POST /v1/listinvoices` (`payment_hash`)
/// - pay: `POST /v1/pay` (`bolt11`, `maxfee`, `retry_for`)
/// - payment status: `POST /v1/listpays` (`payment_hash`)
/// - info: `POST /v1/getinfo`
///
/// The rune needs `method=invoice`, `method=listinvoices` and `method=getinfo` for a gateway;
/// `method=pay` and `method=listpays` for a wallet.
public final class CLNNode: LightningNode {
    /// Where and how the node is reached.
    public let configuration: CLNConfiguration
    private let rest: RESTClient

    /// A node for this configuration, logging to `logger` (never a secret).
    public init(configuration: CLNConfiguration, logger: Logger = Logger(label: "l402.lightning.cln")) throws(LightningError) {
        self.configuration = configuration
        self.rest = try RESTClient(
            baseURL: configuration.restURL, pinnedCertificatePath: configuration.tlsCertificatePath,
            certificateSetting: CLNConfiguration.Key.tlsCertificate, requestTimeoutSeconds: configuration.requestTimeoutSeconds,
            logger: logger)
    }

    public func createInvoice(amountSats: UInt64, memo: String, expirySeconds: Int) async throws -> CreatedInvoice {
        guard amountSats > 0, amountSats <= UInt64.max / 1000, expirySeconds > 0 else {
            throw LightningError.invalidInvoice("amount and expiry must be positive")
        }
        // Labels are unique per node: a random one never collides with another gateway's.
        let label = "l402-" + Hex.encode(SecureRandom.bytes(16))
        let request = CLNInvoiceRequest(amountMsat: amountSats * 1000, label: label, description: memo, expiry: expirySeconds)
        let result: CLNInvoiceResult = try await call("invoice", request)
        let hash = try BackendChecks.hash(hex: result.paymentHash, field: "payment_hash")
        return try BackendChecks.createdInvoice(paymentRequest: result.bolt11, reportedHash: hash)
    }

    public func invoiceState(paymentHash: [UInt8]) async throws -> InvoiceState {
        guard paymentHash.count == 32 else { throw LightningError.invalidInvoice("a payment hash is 32 bytes") }
        let result: CLNListInvoices = try await call("listinvoices", CLNByPaymentHash(paymentHash: Hex.encode(paymentHash)))
        guard let invoice = result.invoices.first else { throw LightningError.invoiceNotFound }
        switch invoice.status {
        case "paid": return .settled
        case "expired": return .expired
        case "unpaid": return Int64(Date().timeIntervalSince1970) >= invoice.expiresAt ? .expired : .open
        default: throw LightningError.malformedResponse("unknown invoice status '\(invoice.status.prefix(40))'")
        }
    }

    /// `pay` returns once the payment succeeded or failed for good (or with `pending` when
    /// `retry_for` ran out while parts are still out). Paying an invoice this node already paid
    /// returns the earlier result.
    public func pay(paymentRequest: String, feeLimitSats: UInt64) async throws -> PaymentResult {
        let hash = try BackendChecks.paymentHash(of: paymentRequest)
        guard feeLimitSats <= UInt64.max / 1000 else { throw LightningError.paymentFailed("fee limit too large") }
        let request = CLNPayRequest(bolt11: paymentRequest, maxfee: feeLimitSats * 1000, retryFor: configuration.paymentTimeoutSeconds)
        let timeout = TimeAmount.seconds(Int64(configuration.paymentTimeoutSeconds + configuration.requestTimeoutSeconds))
        let result: CLNPayResult = try await call("pay", request, timeout: timeout)
        guard try BackendChecks.hash(hex: result.paymentHash, field: "payment_hash") == hash else {
            throw LightningError.malformedResponse("pay answered for another payment hash than the invoice's")
        }
        switch result.status {
        case "complete":
            let fee = (result.amountSentMsat ?? 0) - (result.amountMsat ?? 0)
            return try BackendChecks.succeeded(paymentHash: hash, preimageHex: result.paymentPreimage, feeMsat: fee)
        case "pending": throw LightningError.paymentInFlight
        case "failed": throw LightningError.paymentFailed("Core Lightning reports the payment failed")
        default: throw LightningError.malformedResponse("unknown pay status '\(result.status.prefix(40))'")
        }
    }

    /// Any complete payment of this hash wins (with its preimage), then any pending one; only failed
    /// ones mean nothing was paid; none is `.unknown`.
    public func paymentStatus(paymentHash: [UInt8]) async throws -> PaymentStatus {
        guard paymentHash.count == 32 else { throw LightningError.invalidInvoice("a payment hash is 32 bytes") }
        let result: CLNListPays = try await call("listpays", CLNByPaymentHash(paymentHash: Hex.encode(paymentHash)))
        let pays = result.pays.filter { $0.paymentHash.lowercased() == Hex.encode(paymentHash) }
        if let complete = pays.first(where: { $0.status == "complete" }) {
            let fee = (complete.amountSentMsat ?? 0) - (complete.amountMsat ?? 0)
            return .succeeded(try BackendChecks.succeeded(paymentHash: paymentHash, preimageHex: complete.preimage, feeMsat: fee))
        }
        if pays.contains(where: { $0.status == "pending" }) { return .inFlight }
        if let unknown = pays.first(where: { $0.status != "failed" }) {
            throw LightningError.malformedResponse("unknown payment status '\(unknown.status.prefix(40))'")
        }
        return pays.isEmpty ? .unknown : .failed(.paymentFailed("Core Lightning reports the payment failed"))
    }

    public func info() async throws -> NodeInfo {
        let info: CLNGetInfo = try await call("getinfo", [String: String]())
        guard let key = try? Hex.decode(info.id), key.count == 33 else {
            throw LightningError.malformedResponse("id is not a 33-byte hex public key")
        }
        guard let network = CLNErrorMapping.network(info.network) else {
            throw LightningError.malformedResponse("unsupported network '\(info.network.prefix(40))'")
        }
        return NodeInfo(publicKey: key, alias: info.alias ?? "", network: network)
    }

    // MARK: - HTTP

    /// `POST /v1/<method>` with the parameters as JSON and the rune; decodes the 2xx result.
    private func call<Result: Decodable>(_ method: String, _ parameters: some Encodable, timeout: TimeAmount? = nil) async throws -> Result {
        let body: Data
        do { body = try CLNJSON.encoder().encode(parameters) } catch { throw LightningError.backend("cannot encode \(method) parameters") }
        let answer = try await rest.exchange(.POST, "/v1/\(method)", headers: [("Rune", configuration.rune)], body: .json(body), timeout: timeout)
        guard (200..<300).contains(answer.status) else {
            let error = try? CLNJSON.decoder().decode(CLNRPCError.self, from: Data(answer.body))
            throw CLNErrorMapping.error(httpStatus: answer.status, body: error, method: method)
        }
        return try RESTClient.decode(Result.self, answer, decoder: CLNJSON.decoder(), what: method)
    }
}
