import Lightning
import AsyncHTTPClient
import Bolt11
import ByteEncoding
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// A `LightningNode` backed by LND's REST API (lnd 0.18+).
///
/// - create invoice: `POST /v1/invoices`
/// - invoice state: `GET /v1/invoice/{r_hash hex}`
/// - pay: `POST /v2/router/send` (a stream of payment updates, one JSON object a line)
/// - payment status: `GET /v2/router/track/{payment_hash}` (the same stream; only its first item is read)
/// - info: `GET /v1/getinfo`
/// - decode (extra, not in `LightningNode`): `GET /v1/payreq/{pay_req}`
///
/// Requests go through the backends' `RESTClient`, trusting only the node's certificate.
public final class LNDNode: LightningNode {
    /// Where and how the node is reached.
    public let configuration: LNDConfiguration
    let rest: RESTClient
    /// Largest non-streaming answer (and stream line) we accept; LND's answers here are a few kilobytes.
    static let maximumBodyBytes = RESTClient.maximumBodyBytes

    /// Loads the node's TLS certificate. Throws `LightningError.configuration` if it is not a PEM certificate.
    public init(configuration: LNDConfiguration, logger: Logger = Logger(label: "l402.lightning.lnd")) throws(LightningError) {
        self.configuration = configuration
        self.rest = try RESTClient(
            baseURL: configuration.restURL, pinnedCertificatePath: configuration.tlsCertificatePath,
            certificateSetting: LNDConfiguration.Key.tlsCertificate, requestTimeoutSeconds: configuration.requestTimeoutSeconds,
            logger: logger)
    }

    public func createInvoice(amountSats: UInt64, memo: String, expirySeconds: Int) async throws -> CreatedInvoice {
        guard let value = Int64(exactly: amountSats), expirySeconds > 0 else {
            throw LightningError.invalidInvoice("amount must fit in 64 bits and expiry must be positive")
        }
        let body = LNDAddInvoiceRequest(value: LNDInt(value), memo: memo, expiry: LNDInt(Int64(expirySeconds)))
        let response: LNDAddInvoiceResponse = try await call(.POST, "/v1/invoices", body: body)
        guard let hash = try? Base64.decode(response.rHash), hash.count == 32 else {
            throw LightningError.malformedResponse("r_hash is not 32 base64-encoded bytes")
        }
        return CreatedInvoice(
            paymentRequest: response.paymentRequest, paymentHash: hash,
            expiresAt: Date().addingTimeInterval(TimeInterval(expirySeconds))
        )
    }

    public func invoiceState(paymentHash: [UInt8]) async throws -> InvoiceState {
        guard paymentHash.count == 32 else { throw LightningError.invalidInvoice("a payment hash is 32 bytes") }
        let invoice: LNDInvoice = try await call(.GET, "/v1/invoice/\(Hex.encode(paymentHash))")
        switch invoice.state {
        case "SETTLED": return .settled
        case "CANCELED": return .cancelled
        // ACCEPTED: a hold invoice whose HTLC is held but not settled, so not paid yet.
        case "OPEN", "ACCEPTED":
            let expiresAt = invoice.creationDate.value.addingReportingOverflow(invoice.expiry.value)
            if !expiresAt.overflow, Int64(Date().timeIntervalSince1970) >= expiresAt.partialValue { return .expired }
            return .open
        default: throw LightningError.malformedResponse("unknown invoice state '\(invoice.state.prefix(40))'")
        }
    }

    public func info() async throws -> NodeInfo {
        let info: LNDGetInfoResponse = try await call(.GET, "/v1/getinfo")
        guard let key = try? Hex.decode(info.identityPubkey), key.count == 33 else {
            throw LightningError.malformedResponse("identity_pubkey is not a 33-byte hex public key")
        }
        guard let chain = info.chains.first else { throw LightningError.malformedResponse("getinfo lists no chain") }
        guard let network = Self.network(lndName: chain.network) else {
            throw LightningError.malformedResponse("unsupported network '\(chain.network.prefix(40))'")
        }
        return NodeInfo(publicKey: key, alias: info.alias, network: network)
    }

    /// The invoice as LND reads it (`GET /v1/payreq/{pay_req}`): what paying it would cost, and to whom.
    public func decodePaymentRequest(_ paymentRequest: String) async throws -> LNDDecodedInvoice {
        guard let escaped = paymentRequest.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else {
            throw LightningError.invalidInvoice("not a BOLT-11 string")
        }
        let payReq: LNDPayReq = try await call(.GET, "/v1/payreq/\(escaped)")
        guard let destination = try? Hex.decode(payReq.destination), destination.count == 33,
            let hash = try? Hex.decode(payReq.paymentHash), hash.count == 32, payReq.numMsat.value >= 0, payReq.expiry.value >= 0
        else {
            throw LightningError.malformedResponse("payreq without a 33-byte destination, a 32-byte payment_hash or valid amounts")
        }
        return LNDDecodedInvoice(
            destination: destination, paymentHash: hash, amountMsat: UInt64(payReq.numMsat.value),
            timestamp: Date(timeIntervalSince1970: TimeInterval(payReq.timestamp.value)),
            expirySeconds: UInt64(payReq.expiry.value), description: payReq.description)
    }

    /// LND's `chains[].network` name as a BOLT-11 network (simnet has no BOLT-11 prefix of ours).
    static func network(lndName: String) -> Network? {
        switch lndName {
        case "mainnet": .bitcoin
        case "testnet", "testnet3", "testnet4": .testnet
        case "signet": .signet
        case "regtest": .regtest
        default: nil
        }
    }

    // MARK: - HTTP

    /// One request/response call decoding the JSON answer.
    private func call<Answer: Decodable>(_ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<String>.none) async throws -> Answer {
        let bytes = try body.map { try LNDJSON.encoder().encode($0) }
        let response = try await send(method, path, body: bytes, timeout: rest.requestTimeout)
        guard (200..<300).contains(response.status.code) else { throw try await errorAnswer(response) }
        let answer = RESTClient.Answer(status: Int(response.status.code), body: try await rest.collect(response))
        return try RESTClient.decode(Answer.self, answer, decoder: LNDJSON.decoder(), what: path)
    }

    /// Sends one request with the macaroon header; the answer's body is still streaming.
    func send(_ method: HTTPMethod, _ path: String, body: Data?, timeout: TimeAmount) async throws -> HTTPClientResponse {
        try await rest.send(
            method, path, headers: [("Grpc-Metadata-macaroon", configuration.macaroonHex)], body: body.map { .json($0) }, timeout: timeout)
    }

    /// The typed error for a non-2xx answer, from LND's `google.rpc.Status` body when there is one.
    func errorAnswer(_ response: HTTPClientResponse) async throws -> LightningError {
        LNDErrorMapping.error(httpStatus: Int(response.status.code), status: try await errorStatus(response))
    }

    /// LND's `google.rpc.Status` in a non-2xx answer, nil when the body is not one.
    func errorStatus(_ response: HTTPClientResponse) async throws -> LNDRPCStatus? {
        let body = try await rest.collect(response)
        return (try? LNDJSON.decoder().decode(LNDErrorBody.self, from: Data(body)))?.status
    }
}

/// An invoice as LND decodes it.
public struct LNDDecodedInvoice: Sendable, Equatable {
    /// The payee's 33-byte node key.
    public var destination: [UInt8]
    /// The payment hash (32 bytes).
    public var paymentHash: [UInt8]
    /// 0 when the invoice leaves the amount to the payer.
    public var amountMsat: UInt64
    /// When the invoice was made.
    public var timestamp: Date
    /// Seconds after `timestamp` it stays payable.
    public var expirySeconds: UInt64
    /// The invoice's description.
    public var description: String
}
