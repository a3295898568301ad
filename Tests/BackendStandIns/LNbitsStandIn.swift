import Bolt11
import ByteEncoding
import Foundation
import NIOHTTP1
import Synchronization

/// A STAND-IN for one LNbits wallet's REST API, for tests only.
///
/// Followed: lnbits/lnbits `lnbits/core/views/payment_api.py`, `core/models/payments.py`,
/// `decorators.py`, `exceptions.py` and `core/services/payments.py` at 1.5.2-rc3 (commit 7d98c6b0):
/// - plain HTTP; `X-Api-Key` on every call: none is 401 "No Api Key provided.", an unknown key
///   404 "Wallet not found.", an invoice key asking to pay 403 "Invoice (or Admin) key required.";
/// - `POST /api/v1/payments`: `out` defaults to **true**, so a body without `"out": false` is a payment
///   (400 "Missing BOLT11 invoice" with the admin key); success is HTTP **201** with the `Payment`;
/// - payment errors are HTTP **520** `{"detail", "status"}`: "Insufficient balance." (failed), the fee
///   reserve (failed), "Payment is still pending." (pending), "Payment already paid." (success),
///   "Payment failed: …" (failed), "Bolt11 decoding failed." (failed);
/// - a payment the funding source has not finished comes back as 201 with `status: "pending"`;
/// - `GET /api/v1/payments/{hash}`: `{"paid", "status", "preimage", "details"}`, 404 "Payment does not exist.";
/// - `GET /api/v1/payments/fee-reserve?invoice=` answers `{"fee_reserve": msat}` = max(2000 msat, 1 %), LNbits' defaults.
public final class LNbitsStandIn: Sendable {
    struct Payment: Sendable {
        var hash: [UInt8]
        var bolt11: String
        /// msat, negative when outgoing.
        var amount: Int64
        var fee: Int64 = 0
        var status = "pending"
        var preimage: [UInt8]?
        var memo: String
        var expiry: Int64
        var time = Date()

        var json: [String: Any] {
            let iso = ISO8601DateFormatter()
            return [
                "checking_id": Hex.encode(hash), "payment_hash": Hex.encode(hash), "wallet_id": "standinwallet", "amount": amount,
                "fee": fee, "bolt11": bolt11, "payment_request": bolt11, "fiat_provider": NSNull(), "status": status, "memo": memo,
                "expiry": iso.string(from: Date(timeIntervalSince1970: TimeInterval(expiry))), "webhook": NSNull(),
                "webhook_status": NSNull(), "preimage": preimage.map { Hex.encode($0) } ?? NSNull(), "tag": NSNull(),
                "extension": NSNull(), "time": iso.string(from: time), "created_at": iso.string(from: time),
                "updated_at": iso.string(from: time), "labels": [Any](), "extra": [String: Any](),
            ]
        }
    }

    struct State {
        var incoming: [[UInt8]: Payment] = [:]
        var outgoing: [[UInt8]: Payment] = [:]
        var balanceMsat: Int64 = 1_000_000_000
        var received: [(path: String, body: [UInt8], out: Bool)] = []
    }

    public let invoiceKey = Hex.encode(StandInNetwork.randomBytes(16))
    public let adminKey = Hex.encode(StandInNetwork.randomBytes(16))
    public let key = NodeKey.random()
    public let network: StandInNetwork
    let state = Mutex(State())
    private let server: StandInServer

    private init(network: StandInNetwork, server: StandInServer) {
        self.network = network
        self.server = server
    }

    public var url: String { server.url }

    public static func start(network: StandInNetwork = StandInNetwork()) async throws -> LNbitsStandIn {
        let box = Mutex<LNbitsStandIn?>(nil)
        let server = try await StandInServer.start(tls: false) { request in
            box.withLock { $0 }?.answer(request) ?? .json(status: 503, body: ["detail": "starting"])
        }
        let standIn = LNbitsStandIn(network: network, server: server)
        box.withLock { $0 = standIn }
        return standIn
    }

    public func stop() async throws { try await server.stop() }

    // MARK: - Set by the test

    public func setBalance(sats: Int64) { state.withLock { $0.balanceMsat = sats * 1000 } }
    public func lastBody(path: String) -> [String: Any]? {
        let body = state.withLock { $0.received.last { $0.path == path }?.body }
        return body.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
    }
    public var payAttempts: Int {
        state.withLock { $0.received.filter { $0.path == "/api/v1/payments" && $0.out }.count }
    }

    // MARK: - The API

    static func detail(_ status: Int, _ detail: String) -> StandInReply { .json(status: status, body: ["detail": detail]) }
    static func paymentError(_ detail: String, _ status: String) -> StandInReply {
        .json(status: 520, body: ["detail": detail, "status": status])
    }

    func answer(_ request: StandInRequest) -> StandInReply {
        if request.method == .GET, request.path == "/api/v1/payments/fee-reserve" { return feeReserve(request.query["invoice"]) }
        guard let apiKey = request.headers.first(name: "X-Api-Key") ?? request.query["api-key"] else {
            return Self.detail(401, "No Api Key provided.")
        }
        guard apiKey == invoiceKey || apiKey == adminKey else { return Self.detail(404, "Wallet not found.") }
        let isAdmin = apiKey == adminKey
        switch (request.method, request.path) {
        case (.POST, "/api/v1/payments"):
            guard let body = request.json else {
                return .json(status: 400, body: ["detail": [["type": "model_attributes_type", "loc": ["body"], "msg": "Input should be a valid dictionary"]]])
            }
            // `out` defaults to true: without "out": false this is a payment.
            let out = body["out"] as? Bool ?? true
            state.withLock { $0.received.append((request.path, request.body, out)) }
            if out && isAdmin {
                guard let bolt11 = body["bolt11"] as? String else { return Self.detail(400, "Missing BOLT11 invoice") }
                return pay(bolt11)
            }
            if out { return Self.detail(403, "Invoice (or Admin) key required.") }
            return createInvoice(body)
        case (.GET, "/api/v1/wallet"):
            return .json(status: 200, body: ["name": "standin wallet", "balance": state.withLock { $0.balanceMsat }] as [String: Any])
        case (.GET, "/api/v1/payments"):
            let limit = request.query["limit"].flatMap(Int.init) ?? 100
            let all = state.withLock { Array($0.incoming.values) + Array($0.outgoing.values) }.sorted { $0.time > $1.time }
            return .json(status: 200, body: all.prefix(limit).map(\.json))
        case (.GET, _) where request.path.hasPrefix("/api/v1/payments/"):
            return lookUp(String(request.path.dropFirst("/api/v1/payments/".count)))
        default:
            return Self.detail(404, "Not Found")
        }
    }

    private func createInvoice(_ body: [String: Any]) -> StandInReply {
        guard let amount = (body["amount"] as? NSNumber)?.int64Value, amount >= 0 else {
            return .json(status: 400, body: ["detail": [["type": "missing", "loc": ["body", "amount"], "msg": "Field required"]]])
        }
        guard (body["unit"] as? String ?? "sat") == "sat" else { return Self.detail(400, "Currency not allowed.") }
        let memo = body["memo"] as? String ?? ""
        let expiry = (body["expiry"] as? NSNumber)?.int64Value ?? 3600
        guard let invoice = try? network.issue(amountSat: amount, memo: memo, expiry: expiry, key: key) else {
            return Self.paymentError("Unexpected backend error.", "failed")
        }
        let payment = Payment(hash: invoice.hash, bolt11: invoice.request, amount: amount * 1000, memo: memo, expiry: invoice.expiresAt)
        state.withLock { $0.incoming[invoice.hash] = payment }
        return .json(status: 201, body: payment.json)
    }

    static func reserveMsat(_ amountMsat: Int64) -> Int64 { max(2000, amountMsat / 100) }

    private func feeReserve(_ invoice: String?) -> StandInReply {
        guard let invoice, let decoded = try? Bolt11.Invoice.decode(invoice) else {
            return Self.detail(400, "Invalid bolt11 invoice")
        }
        guard let msat = decoded.amountMsat else { return Self.detail(400, "Invoice has no amount.") }
        return .json(status: 200, body: ["fee_reserve": Self.reserveMsat(Int64(msat))])
    }

    private func pay(_ bolt11: String) -> StandInReply {
        guard let decoded = try? Bolt11.Invoice.decode(bolt11) else { return Self.paymentError("Bolt11 decoding failed.", "failed") }
        guard let msat = decoded.amountMsat.map(Int64.init) else { return Self.paymentError("Amountless invoices not supported.", "failed") }
        let hash = decoded.paymentHash
        return state.withLock { state -> StandInReply in
            if let earlier = state.outgoing[hash] {
                if earlier.status == "pending" { return Self.paymentError("Payment is still pending.", "pending") }
                if earlier.status == "success" { return Self.paymentError("Payment already paid.", "success") }
                return Self.paymentError("Payment is failed node, retrying is not possible.", "failed")
            }
            let reserve = Self.reserveMsat(msat)
            guard state.balanceMsat >= msat else { return Self.paymentError("Insufficient balance.", "failed") }
            guard state.balanceMsat >= msat + reserve else {
                return Self.paymentError("You must reserve at least (\(reserve / 1000)  sat) to cover potential routing fees.", "failed")
            }
            var payment = Payment(hash: hash, bolt11: bolt11, amount: -msat, fee: -reserve, memo: decoded.description ?? "", expiry: Int64(decoded.expiresAt))
            switch network.deliver(request: bolt11) {
            case .settled(let preimage):
                payment.status = "success"
                payment.fee = -1000
                payment.preimage = preimage
                state.balanceMsat -= msat + 1000
                state.outgoing[hash] = payment
                return .json(status: 201, body: payment.json)
            case .held:
                state.outgoing[hash] = payment  // the funding source did not finish within LNbits' wait
                return .json(status: 201, body: payment.json)
            case .alreadyPaid, .unknownPayee, .expired:
                payment.status = "failed"
                state.outgoing[hash] = payment
                return Self.paymentError("Payment failed: no route found", "failed")
            }
        }
    }

    private func lookUp(_ hashHex: String) -> StandInReply {
        let hash = (try? Hex.decode(hashHex)) ?? []
        // A held payment the payee settled since.
        if let held = state.withLock({ $0.outgoing[hash] }), held.status == "pending", let invoice = network.invoice(hash: hash),
            invoice.settled, !invoice.holds
        {
            state.withLock { state in
                state.outgoing[hash]?.status = "success"
                state.outgoing[hash]?.preimage = invoice.preimage
                state.outgoing[hash]?.fee = -1000
                state.balanceMsat += held.amount - 1000
            }
        }
        // An incoming invoice's status follows the network.
        if state.withLock({ $0.incoming[hash] != nil }), let invoice = network.invoice(hash: hash) {
            let status = invoice.settled ? "success" : (Int64(Date().timeIntervalSince1970) >= invoice.expiresAt ? "failed" : "pending")
            state.withLock { state in
                state.incoming[hash]?.status = status
                if invoice.settled { state.incoming[hash]?.preimage = invoice.preimage }
            }
        }
        guard let payment = state.withLock({ $0.outgoing[hash] ?? $0.incoming[hash] }) else {
            return Self.detail(404, "Payment does not exist.")
        }
        switch payment.status {
        case "success": return .json(status: 200, body: ["paid": true, "preimage": Hex.encode(payment.preimage ?? []), "details": payment.json])
        case "failed": return .json(status: 200, body: ["paid": false, "status": "failed", "details": payment.json])
        default:
            return .json(status: 200, body: [
                "paid": false, "status": payment.status, "preimage": payment.preimage.map { Hex.encode($0) } ?? NSNull(), "details": payment.json,
            ] as [String: Any])
        }
    }
}
