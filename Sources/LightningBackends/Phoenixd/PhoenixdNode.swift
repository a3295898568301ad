import ByteEncoding
import Foundation
import Lightning
import Logging
import NIOCore
import NIOHTTP1

/// A `LightningNode` backed by phoenixd's HTTP API (ACINQ, 0.5 or newer):
///
/// - create invoice: `POST /createinvoice` (`amountSat`, `description`, `expirySeconds`)
/// - invoice state: `GET /payments/incoming/{paymentHash}`
/// - pay: `POST /payinvoice` (`invoice`); a failed payment is HTTP 200 with a `reason`
/// - payment status: `GET /payments/outgoingbyhash/{paymentHash}`
/// - info: `GET /getinfo`
///
/// phoenixd takes no fee limit: it pays through ACINQ's trampoline node at ACINQ's published fee,
/// so `pay`'s `feeLimitSats` cannot be passed on (the docs say so; the fee paid is reported).
public final class PhoenixdNode: LightningNode {
    /// Where and how the node is reached.
    public let configuration: PhoenixdConfiguration
    private let rest: RESTClient
    private let authorization: String
    /// phoenixd refuses longer descriptions (400 "description is too long").
    static let maximumDescriptionLength = 128

    /// A node for this configuration, logging to `logger` (never a secret).
    public init(configuration: PhoenixdConfiguration, logger: Logger = Logger(label: "l402.lightning.phoenixd")) throws(LightningError) {
        self.configuration = configuration
        self.rest = try RESTClient(
            baseURL: configuration.url, pinnedCertificatePath: nil, certificateSetting: PhoenixdConfiguration.Key.url,
            requestTimeoutSeconds: configuration.requestTimeoutSeconds, logger: logger)
        // HTTP basic auth with an empty user name.
        self.authorization = "Basic " + Base64.encode(Array(":\(configuration.password)".utf8))
    }

    public func createInvoice(amountSats: UInt64, memo: String, expirySeconds: Int) async throws -> CreatedInvoice {
        guard amountSats > 0, expirySeconds > 0 else { throw LightningError.invalidInvoice("amount and expiry must be positive") }
        let answer = try await call(.POST, "/createinvoice", form: [
            ("amountSat", String(amountSats)), ("description", String(memo.prefix(Self.maximumDescriptionLength))),
            ("expirySeconds", String(expirySeconds)),
        ])
        let invoice = try RESTClient.decode(PhoenixdGeneratedInvoice.self, answer, decoder: JSONDecoder(), what: "/createinvoice")
        let hash = try BackendChecks.hash(hex: invoice.paymentHash, field: "paymentHash")
        return try BackendChecks.createdInvoice(paymentRequest: invoice.serialized, reportedHash: hash)
    }

    public func invoiceState(paymentHash: [UInt8]) async throws -> InvoiceState {
        guard paymentHash.count == 32 else { throw LightningError.invalidInvoice("a payment hash is 32 bytes") }
        let path = "/payments/incoming/\(Hex.encode(paymentHash))"
        guard let answer = try await lookUp(path) else { throw LightningError.invoiceNotFound }
        let payment = try RESTClient.decode(PhoenixdIncomingPayment.self, answer, decoder: JSONDecoder(), what: path)
        if payment.isPaid { return .settled }
        return payment.isExpired ? .expired : .open
    }

    public func pay(paymentRequest: String, feeLimitSats: UInt64) async throws -> PaymentResult {
        let hash = try BackendChecks.paymentHash(of: paymentRequest)
        let timeout = TimeAmount.seconds(Int64(configuration.paymentTimeoutSeconds + configuration.requestTimeoutSeconds))
        let answer = try await call(.POST, "/payinvoice", form: [("invoice", paymentRequest)], timeout: timeout, paying: true)
        let result = try RESTClient.decode(PhoenixdPayResult.self, answer, decoder: JSONDecoder(), what: "/payinvoice")
        if let reason = result.reason { throw PhoenixdErrorMapping.paymentFailure(reason: reason) }
        guard try BackendChecks.hash(hex: result.paymentHash, field: "paymentHash") == hash else {
            throw LightningError.malformedResponse("phoenixd paid another payment hash than the invoice's")
        }
        return try BackendChecks.succeeded(paymentHash: hash, preimageHex: result.paymentPreimage, feeMsat: (result.routingFeeSat ?? 0) * 1000)
    }

    /// The best of phoenixd's payments of this hash (succeeded, else pending, else failed); none is `.unknown`.
    public func paymentStatus(paymentHash: [UInt8]) async throws -> PaymentStatus {
        guard paymentHash.count == 32 else { throw LightningError.invalidInvoice("a payment hash is 32 bytes") }
        let path = "/payments/outgoingbyhash/\(Hex.encode(paymentHash))"
        guard let answer = try await lookUp(path) else { return .unknown }
        let payment = try RESTClient.decode(PhoenixdOutgoingPayment.self, answer, decoder: JSONDecoder(), what: path)
        if payment.isPaid {
            return .succeeded(try BackendChecks.succeeded(paymentHash: paymentHash, preimageHex: payment.preimage, feeMsat: payment.fees))
        }
        if payment.completedAt != nil { return .failed(.paymentFailed("phoenixd reports the payment failed")) }
        return .inFlight
    }

    public func info() async throws -> NodeInfo {
        let info = try RESTClient.decode(PhoenixdNodeInfo.self, try await call(.GET, "/getinfo"), decoder: JSONDecoder(), what: "/getinfo")
        guard let key = try? Hex.decode(info.nodeId), key.count == 33 else {
            throw LightningError.malformedResponse("nodeId is not a 33-byte hex public key")
        }
        guard let network = PhoenixdErrorMapping.network(chain: info.chain) else {
            throw LightningError.malformedResponse("unsupported chain '\(info.chain.prefix(40))'")
        }
        return NodeInfo(publicKey: key, alias: "phoenixd \(info.version ?? "")".trimmingCharacters(in: .whitespaces), network: network)
    }

    // MARK: - HTTP

    /// One call; a non-2xx answer becomes its typed error.
    private func call(
        _ method: HTTPMethod, _ path: String, form: [(String, String)]? = nil, timeout: TimeAmount? = nil, paying: Bool = false
    ) async throws(LightningError) -> RESTClient.Answer {
        let answer = try await rest.exchange(
            method, path, headers: [("Authorization", authorization)], body: form.map { .form($0) }, timeout: timeout)
        guard (200..<300).contains(answer.status) else {
            throw PhoenixdErrorMapping.error(status: answer.status, text: answer.text, paying: paying)
        }
        return answer
    }

    /// A look-up by payment hash: nil when phoenixd has no such payment (HTTP 404 "Not found"; its
    /// unknown-endpoint 404 says "Unknown endpoint" and stays an error).
    private func lookUp(_ path: String) async throws(LightningError) -> RESTClient.Answer? {
        let answer = try await rest.exchange(.GET, path, headers: [("Authorization", authorization)])
        if answer.status == 404, answer.text.trimmingCharacters(in: .whitespacesAndNewlines) == "Not found" { return nil }
        guard (200..<300).contains(answer.status) else {
            throw PhoenixdErrorMapping.error(status: answer.status, text: answer.text, paying: false)
        }
        return answer
    }
}
