import Bolt11
import ByteEncoding
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import TestSupport

/// A STAND-IN for LND's REST API, for tests only: no real LND can run on the test machines.
///
/// It serves HTTPS on 127.0.0.1 (ephemeral port) with a self-signed certificate made at test time,
/// and follows the shapes documented in lnd's `lightning.swagger.json` and `router.swagger.json`:
/// - field names in snake_case; int64 fields written as strings; `bytes` fields (`r_hash`,
///   `r_preimage`, `payment_addr`) as standard base64; enums by name;
/// - `Grpc-Metadata-macaroon` checked on every call: missing or wrong gives LND's HTTP 500
///   `{"code":2,"message":"expected 1 macaroon, got 0" | "verification failed: …"}`, and the
///   invoice-only macaroon gets `permission denied` on `/v2/router/send`;
/// - request bodies parsed strictly: unknown fields are refused (HTTP 400, code 3) and int64 fields
///   must be decimal strings or numbers, so a misspelt or mistyped field fails the test;
/// - `/v2/router/send` answers with grpc-gateway's streaming framing: one `{"result": Payment}`
///   object a line (IN_FLIGHT, then SUCCEEDED or FAILED with a `failure_reason`), each line written in
///   two pieces so the client must reassemble lines across chunks; errors before the first message
///   are `{"error": Status}` with the HTTP status of the gRPC code;
/// - `/v2/router/track/{payment_hash}` (payment hash as padded base64, as grpc-gateway reads `bytes`)
///   reports our node's payments in the same framing: the current state first, the stream left open
///   while IN_FLIGHT; a payment never made is HTTP 404 `{"error":{"code":5,"message":"payment isn't initiated"}}`;
///   paying a hash again is refused while IN_FLIGHT ("payment is in transition") or SUCCEEDED ("invoice is already paid");
/// - an unknown invoice is HTTP 404 `{"code":5,"message":"unable to locate invoice"}`;
/// - payment requests are decoded as lnd's zpay32 does on a regtest node (`/v1/payreq/{pay_req}`, and
///   before any payment): bad strings, other networks and expired invoices get lnd's messages.
/// What happens on the "network" (an invoice paid, a remote payee, our balance) is set by the test.
final class LNDStandIn: Sendable {
    /// An invoice of some remote payee that our stand-in node can route to.
    struct RemoteInvoice: Sendable {
        var paymentHash: [UInt8]
        var preimage: [UInt8]
        var amountSat: Int64
        var routeFeeMsat: Int64
        /// The payee holds the HTLC: the payment stays IN_FLIGHT until `releaseHeldPayment`.
        var holdsPayment = false
    }

    struct IssuedInvoice: Sendable {
        var preimage: [UInt8]
        var hash: [UInt8]
        var value: Int64
        var memo: String
        var expiry: Int64
        var creationDate: Int64
        var paymentRequest: String
        var paymentAddr: [UInt8]
        var addIndex: Int
        var state = "OPEN"
    }

    struct State {
        var invoices: [[UInt8]: IssuedInvoice] = [:]
        var remote: [String: RemoteInvoice] = [:]
        /// Our node's payments by payment hash, as `/v2/router/track` reports them.
        var payments: [[UInt8]: SentPayment] = [:]
        var balanceSat: Int64 = 1_000_000
        /// Every JSON request body received, by path: what the client really sent.
        var received: [(path: String, body: Data)] = []
        var overrides: [String: (status: Int, body: String)] = [:]
    }

    let adminMacaroonHex = Hex.encode((0..<64).map { _ in UInt8.random(in: 0...255) })
    let invoiceMacaroonHex = Hex.encode((0..<64).map { _ in UInt8.random(in: 0...255) })
    /// Signs the invoices the stand-in issues; its public key is `identity_pubkey`.
    let nodeKey = NodeKey.random()
    /// Signs the invoices of the remote payees our stand-in node pays.
    let remoteKey = NodeKey.random()
    var identityPubkey: [UInt8] { nodeKey.publicKey }
    let alias = "standin-alice"
    let certificate: SelfSignedCertificate
    let port: Int
    private let channel: any Channel
    let state = Mutex(State())

    private init(certificate: SelfSignedCertificate, channel: any Channel) {
        self.certificate = certificate
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
    }

    var url: String { "https://127.0.0.1:\(port)" }

    static func start() async throws -> LNDStandIn {
        let certificate = try SelfSignedCertificate.generate()
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate.certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: certificate.keyPath, format: .pem))
        )
        let context = try NIOSSLContext(configuration: tls)
        let box = Mutex<LNDStandIn?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let standIn = box.withLock({ $0 }) else { throw ChannelError.ioOnClosedChannel }
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(CollectingHTTPHandler { request, writer in
                        standIn.answer(method: request.head.method, uri: request.head.uri, headers: request.head.headers, body: request.body)
                            .write(to: writer)
                    })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let standIn = LNDStandIn(certificate: certificate, channel: channel)
        box.withLock { $0 = standIn }
        return standIn
    }

    func stop() async throws {
        try await channel.close()
        certificate.remove()
    }

    // MARK: - What happens on the network, set by the test

    func settleInvoice(hash: [UInt8]) { state.withLock { $0.invoices[hash]?.state = "SETTLED" } }
    func cancelInvoice(hash: [UInt8]) { state.withLock { $0.invoices[hash]?.state = "CANCELED" } }
    func backdateInvoice(hash: [UInt8], bySeconds seconds: Int64) {
        state.withLock { $0.invoices[hash]?.creationDate -= seconds }
    }
    func setBalance(sats: Int64) { state.withLock { $0.balanceSat = sats } }
    /// Replaces the answer of `path` (for malformed-response tests).
    func override(path: String, status: Int, body: String) { state.withLock { $0.overrides[path] = (status, body) } }

    /// Registers an invoice of a remote payee reachable with `routeFeeMsat` of fees; returns its request string.
    func addRemoteInvoice(
        amountSat: Int64, routeFeeMsat: Int64, network: Network = .regtest, ageSeconds: UInt64 = 0, holdsPayment: Bool = false
    ) throws -> (paymentRequest: String, invoice: RemoteInvoice) {
        let preimage = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let invoice = RemoteInvoice(
            paymentHash: Array(SHA256.hash(data: preimage)), preimage: preimage, amountSat: amountSat, routeFeeMsat: routeFeeMsat,
            holdsPayment: holdsPayment)
        let request = try Self.paymentRequest(
            hash: invoice.paymentHash, amountSat: amountSat, memo: "remote", expiry: 3600, key: remoteKey, network: network,
            timestamp: UInt64(Date().timeIntervalSince1970) - ageSeconds)
        state.withLock { $0.remote[request] = invoice }
        return (request, invoice)
    }

    /// The last JSON body received on `path`.
    func lastBody(path: String) -> [String: Any]? {
        let body = state.withLock { state in state.received.last(where: { $0.path == path })?.body }
        return body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    /// A real signed BOLT-11 invoice, as LND would issue it.
    static func paymentRequest(
        hash: [UInt8], amountSat: Int64, memo: String, expiry: Int64, key: NodeKey, network: Network = .regtest,
        timestamp: UInt64 = UInt64(Date().timeIntervalSince1970)
    ) throws -> String {
        try Invoice(
            network: network, amountMsat: UInt64(amountSat) * 1000, timestamp: timestamp, paymentHash: hash,
            paymentSecret: (0..<32).map { _ in UInt8.random(in: 0...255) }, description: memo, expiry: UInt64(expiry),
            features: .standardInvoice
        ).encode(signingWith: key)
    }

    // MARK: - The REST API

    func answer(method: HTTPMethod, uri: String, headers: HTTPHeaders, body: [UInt8]) -> Answer {
        let path = String(uri.split(separator: "?", maxSplits: 1).first ?? "")
        if let override = state.withLock({ $0.overrides[path] }) {
            return .raw(status: HTTPResponseStatus(statusCode: override.status), body: override.body)
        }
        let streaming = path == "/v2/router/send" || path.hasPrefix("/v2/router/track/")
        let macaroon = headers["Grpc-Metadata-macaroon"]
        guard macaroon.count == 1 else {
            return Self.failure(.internalServerError, code: 2, "expected 1 macaroon, got \(macaroon.count)", streaming: streaming)
        }
        let isAdmin = macaroon[0].lowercased() == adminMacaroonHex
        guard isAdmin || macaroon[0].lowercased() == invoiceMacaroonHex else {
            return Self.failure(
                .internalServerError, code: 2, "verification failed: signature mismatch after caveat verification", streaming: streaming)
        }
        if streaming && !isAdmin { return Self.failure(.internalServerError, code: 2, "permission denied", streaming: true) }

        var json: [String: Any] = [:]
        if method == .POST {
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                return Self.failure(.badRequest, code: 3, "unexpected token in request body", streaming: streaming)
            }
            json = parsed
            state.withLock { $0.received.append((path, Data(body))) }
        }
        switch (method, path) {
        case (.POST, "/v1/invoices"): return addInvoice(json)
        case (.GET, "/v1/getinfo"): return getInfo()
        case (.POST, "/v2/router/send"): return sendPayment(json)
        case (.GET, _) where path.hasPrefix("/v2/router/track/"): return trackPayment(hashBase64: String(path.dropFirst("/v2/router/track/".count)))
        case (.GET, _) where path.hasPrefix("/v1/payreq/"):
            return decodePayReq(String(path.dropFirst("/v1/payreq/".count)).removingPercentEncoding ?? "")
        case (.GET, _) where path.hasPrefix("/v1/invoice/"): return lookupInvoice(hashHex: String(path.dropFirst("/v1/invoice/".count)))
        default: return Self.failure(.notImplemented, code: 12, "Method Not Allowed", streaming: false)
        }
    }

    /// lnrpc.Invoice fields a client may set on `POST /v1/invoices`.
    static let invoiceFields: Set<String> = [
        "memo", "r_preimage", "r_hash", "value", "value_msat", "description_hash", "expiry", "fallback_addr",
        "cltv_expiry", "route_hints", "private", "is_amp", "is_blinded", "blinded_path_config",
    ]
    /// routerrpc.SendPaymentRequest fields.
    static let sendPaymentFields: Set<String> = [
        "dest", "amt", "payment_hash", "final_cltv_delta", "payment_request", "timeout_seconds", "fee_limit_sat",
        "outgoing_chan_id", "cltv_limit", "route_hints", "dest_custom_records", "amt_msat", "fee_limit_msat",
        "last_hop_pubkey", "allow_self_payment", "dest_features", "max_parts", "no_inflight_updates",
        "outgoing_chan_ids", "payment_addr", "max_shard_size_msat", "amp", "time_pref", "cancelable",
        "first_hop_custom_records",
    ]

    private func addInvoice(_ json: [String: Any]) -> Answer {
        if let unknown = json.keys.first(where: { !Self.invoiceFields.contains($0) }) {
            return Self.failure(.badRequest, code: 3, "proto: (line 1:2): unknown field \"\(unknown)\"", streaming: false)
        }
        guard let value = Self.int64(json["value"] ?? "0"), let expiry = Self.int64(json["expiry"] ?? "86400"),
            json["memo"] == nil || json["memo"] is String
        else {
            return Self.failure(.badRequest, code: 3, "proto: invalid value for int64 field", streaming: false)
        }
        let preimage = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let hash = Array(SHA256.hash(data: preimage))
        let memo = json["memo"] as? String ?? ""
        guard let paymentRequest = try? Self.paymentRequest(hash: hash, amountSat: value, memo: memo, expiry: expiry, key: nodeKey) else {
            return Self.failure(.internalServerError, code: 2, "unable to encode invoice", streaming: false)
        }
        let invoice = state.withLock { state in
            let invoice = IssuedInvoice(
                preimage: preimage, hash: hash, value: value, memo: memo, expiry: expiry,
                creationDate: Int64(Date().timeIntervalSince1970), paymentRequest: paymentRequest,
                paymentAddr: (0..<32).map { _ in UInt8.random(in: 0...255) }, addIndex: state.invoices.count + 1)
            state.invoices[hash] = invoice
            return invoice
        }
        return .json(status: .ok, body: [
            "r_hash": Base64.encode(invoice.hash), "payment_request": invoice.paymentRequest,
            "add_index": String(invoice.addIndex), "payment_addr": Base64.encode(invoice.paymentAddr),
        ])
    }

    private func lookupInvoice(hashHex: String) -> Answer {
        guard let hash = try? Hex.decode(hashHex), hash.count == 32 else {
            return Self.failure(.badRequest, code: 3, "unable to decode r_hash_str: encoding/hex: invalid byte", streaming: false)
        }
        guard let invoice = state.withLock({ $0.invoices[hash] }) else {
            return Self.failure(.notFound, code: 5, "unable to locate invoice", streaming: false)
        }
        let settled = invoice.state == "SETTLED"
        return .json(status: .ok, body: [
            "memo": invoice.memo, "r_preimage": Base64.encode(invoice.preimage), "r_hash": Base64.encode(invoice.hash),
            "value": String(invoice.value), "value_msat": String(invoice.value * 1000), "settled": settled,
            "creation_date": String(invoice.creationDate), "settle_date": settled ? String(invoice.creationDate + 1) : "0",
            "payment_request": invoice.paymentRequest, "description_hash": "", "expiry": String(invoice.expiry),
            "fallback_addr": "", "cltv_expiry": "80", "route_hints": [Any](), "private": false,
            "add_index": String(invoice.addIndex), "settle_index": settled ? "1" : "0", "amt_paid": "0",
            "amt_paid_sat": settled ? String(invoice.value) : "0", "amt_paid_msat": settled ? String(invoice.value * 1000) : "0",
            "state": invoice.state, "htlcs": [Any](), "features": [String: Any](), "is_keysend": false,
            "payment_addr": Base64.encode(invoice.paymentAddr), "is_amp": false, "amp_invoice_state": [String: Any](),
        ])
    }

    private func getInfo() -> Answer {
        .json(status: .ok, body: [
            "version": "0.19.2-beta commit=standin", "commit_hash": "", "identity_pubkey": Hex.encode(identityPubkey),
            "alias": alias, "color": "#3399ff", "num_pending_channels": 0, "num_active_channels": 1,
            "num_inactive_channels": 0, "num_peers": 1, "block_height": 150, "block_hash": String(repeating: "0", count: 64),
            "best_header_timestamp": "1764000000", "synced_to_chain": true, "synced_to_graph": true, "testnet": false,
            "chains": [["chain": "bitcoin", "network": "regtest"]], "uris": [String](), "features": [String: Any](),
            "require_htlc_interceptor": false, "store_final_htlc_resolutions": false,
        ])
    }

    struct Refusal: Error { var message: String }

    /// zpay32's decoding as lnd runs it on a regtest node, with lnd's messages.
    static func zpay32Decode(_ request: String) -> Result<Bolt11.Invoice, Refusal> {
        guard request.count >= 8 else { return .failure(Refusal(message: "invalid bech32 string length \(request.count)")) }
        guard let decoded = try? Bolt11.Invoice.decode(request) else { return .failure(Refusal(message: "checksum failed")) }
        guard decoded.network == .regtest else {
            return .failure(Refusal(message: "invoice not for current active network 'regtest'"))
        }
        return .success(decoded)
    }

    private func decodePayReq(_ request: String) -> Answer {
        let invoice: Bolt11.Invoice
        switch Self.zpay32Decode(request) {
        case .failure(let refusal): return Self.failure(.internalServerError, code: 2, refusal.message, streaming: false)
        case .success(let decoded): invoice = decoded
        }
        let msat = invoice.amountMsat ?? 0
        return .json(status: .ok, body: [
            "destination": Hex.encode(invoice.payee ?? []), "payment_hash": Hex.encode(invoice.paymentHash),
            "num_satoshis": String(msat / 1000), "timestamp": String(invoice.timestamp), "expiry": String(invoice.expiry),
            "description": invoice.description ?? "", "description_hash": invoice.descriptionHash.map { Hex.encode($0) } ?? "",
            "fallback_addr": "", "cltv_expiry": String(invoice.minFinalCltvExpiry), "route_hints": [Any](),
            "payment_addr": Base64.encode(invoice.paymentSecret ?? []), "num_msat": String(msat),
            "features": [String: Any](), "blinded_paths": [Any](),
        ])
    }

    /// LND's error answer: a bare `google.rpc.Status` for unary calls, `{"error": Status}` for streams.
    static func failure(_ status: HTTPResponseStatus, code: Int, _ message: String, streaming: Bool) -> Answer {
        let rpcStatus: [String: Any] = ["code": code, "message": message, "details": [Any]()]
        if streaming { return .json(status: status, body: ["error": rpcStatus]) }
        return .json(status: status, body: rpcStatus)
    }

    /// A proto3 JSON int64: a decimal string or a JSON number.
    static func int64(_ value: Any) -> Int64? {
        if let text = value as? String { return Int64(text) }
        if let number = value as? Int { return Int64(number) }
        return nil
    }
}
