import Bolt11
import ByteEncoding
import Foundation
import NIOHTTP1
import Synchronization

/// A STAND-IN for Core Lightning's `clnrest`, for tests only (no lightningd runs on the test machines).
///
/// Followed: ElementsProject/lightning `plugins/rest-plugin/src/{handlers,shared,structs}.rs` (the Rust
/// clnrest of CLN 24.11–25.x), `doc/schemas/{invoice,listinvoices,pay,listpays,getinfo}.json` and
/// `common/jsonrpc_errors.h`:
/// - HTTPS with a self-signed certificate; `POST /v1/<method>` with a JSON object of parameters;
///   success is HTTP **201** with the command's result;
/// - the `Rune` header is checked on every call: missing is 403 `{"code":1501,"message":"Not authorized: Missing rune"}`,
///   unknown is 401 (code 1501), a rune not allowing the method is 401 (code 1502, "Not permitted: …");
/// - parameters are checked as lightningd's `param()` does: an unknown one is 500 `{"code":-32602,"message":"unknown parameter: …"}`;
/// - `invoice` labels are unique (900 "Duplicate label"); `pay` errors use the PAY_* codes (200 in
///   progress, 205 no route, 206 over `maxfee`, 207 expired, 210 stopped retrying); paying an invoice
///   already paid by this node returns the earlier result; a payment the payee holds gets no answer
///   (pay waits) and shows as `pending` in `listpays`.
public final class CLNStandIn: Sendable {
    struct Issued: Sendable {
        var label: String
        var hash: [UInt8]
        var createdIndex: Int
    }

    struct Pay: Sendable {
        var hash: [UInt8]
        var request: String
        var amountMsat: Int64
        var feeMsat: Int64
        var status: String
        var preimage: [UInt8]?
        var createdAt = Int64(Date().timeIntervalSince1970)
    }

    struct State {
        var issued: [[UInt8]: Issued] = [:]
        var labels: Set<String> = []
        var pays: [[UInt8]: Pay] = [:]
        var spendableMsat: Int64 = 1_000_000_000
        /// The routing fee a payment from this node costs, in msat.
        var routeFeeMsat: Int64 = 1_000
        var received: [(method: String, body: [UInt8])] = []
    }

    /// A rune allowing `invoice`, `listinvoices` and `getinfo` (a gateway's).
    public let gatewayRune = "gw" + Hex.encode(StandInNetwork.randomBytes(24)) + "=="
    /// A rune allowing `pay`, `listpays` and `getinfo` (a wallet's).
    public let walletRune = "wl" + Hex.encode(StandInNetwork.randomBytes(24)) + "=="
    public let key = NodeKey.random()
    public let network: StandInNetwork
    let state = Mutex(State())
    private let server: StandInServer

    private init(network: StandInNetwork, server: StandInServer) {
        self.network = network
        self.server = server
    }

    public var url: String { server.url }
    public var certificatePath: String { server.certificate!.certificatePath }

    public static func start(network: StandInNetwork = StandInNetwork()) async throws -> CLNStandIn {
        let box = Mutex<CLNStandIn?>(nil)
        let server = try await StandInServer.start(tls: true) { request in
            box.withLock { $0 }?.answer(request) ?? .json(status: 503, body: ["message": "starting"])
        }
        let standIn = CLNStandIn(network: network, server: server)
        box.withLock { $0 = standIn }
        return standIn
    }

    public func stop() async throws { try await server.stop() }

    // MARK: - Set by the test

    public func setSpendable(sats: Int64) { state.withLock { $0.spendableMsat = sats * 1000 } }
    public func setRouteFee(msat: Int64) { state.withLock { $0.routeFeeMsat = msat } }
    /// The parameters of the last call of `method`.
    public func lastParams(_ method: String) -> [String: Any]? {
        let body = state.withLock { $0.received.last { $0.method == method }?.body }
        return body.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
    }
    public var payAttempts: Int { state.withLock { $0.received.filter { $0.method == "pay" }.count } }

    // MARK: - The API

    static let allowed: [String: Set<String>] = [
        "gw": ["invoice", "listinvoices", "getinfo"],
        "wl": ["pay", "listpays", "getinfo"],
    ]

    static let parameters: [String: Set<String>] = [
        "invoice": ["amount_msat", "label", "description", "expiry", "fallbacks", "preimage", "exposeprivatechannels", "cltv", "deschashonly"],
        "listinvoices": ["label", "invstring", "payment_hash", "offer_id", "index", "start", "limit"],
        "pay": ["bolt11", "amount_msat", "label", "riskfactor", "maxfeepercent", "retry_for", "maxdelay", "exemptfee",
                "localinvreqid", "exclude", "maxfee", "description", "partial_msat", "dev_use_shadow"],
        "listpays": ["bolt11", "payment_hash", "status", "index", "start", "limit"],
        "getinfo": [],
    ]

    func answer(_ request: StandInRequest) -> StandInReply {
        guard request.method == .POST, request.path.hasPrefix("/v1/") else {
            return .json(status: 404, body: ["code": -32601, "message": "Path not registered"])
        }
        let method = String(request.path.dropFirst(4))
        guard let rune = request.headers.first(name: "Rune") else {
            return .json(status: 403, body: ["code": 1501, "message": "Not authorized: Missing rune"])
        }
        guard let role = [gatewayRune: "gw", walletRune: "wl"][rune] else {
            return .json(status: 401, body: ["code": 1501, "message": "Not authorized: Not derived from master"])
        }
        guard let known = Self.parameters[method] else {
            return .json(status: 404, body: ["code": -32601, "message": "Unknown command '\(method)'"])
        }
        guard Self.allowed[role]!.contains(method) else {
            return .json(status: 401, body: ["code": 1502, "message": "Not permitted: method is not equal to \(Self.allowed[role]!.sorted().first!)"])
        }
        guard let params = request.body.isEmpty ? [:] : request.json else {
            return .json(status: 500, body: ["code": -32602, "message": "Expected object or array for params"])
        }
        if let unknown = params.keys.first(where: { !known.contains($0) }) {
            return .json(status: 500, body: ["code": -32602, "message": "unknown parameter: \(unknown)"])
        }
        state.withLock { $0.received.append((method, request.body)) }
        switch method {
        case "getinfo": return getInfo()
        case "invoice": return invoice(params)
        case "listinvoices": return listInvoices(params)
        case "pay": return pay(params)
        default: return listPays(params)
        }
    }

    static func error(_ code: Int, _ message: String) -> StandInReply { .json(status: 500, body: ["code": code, "message": message]) }

    private func getInfo() -> StandInReply {
        .json(status: 201, body: [
            "id": Hex.encode(key.publicKey), "alias": "standin-carol", "color": "02abcd", "num_peers": 1, "num_pending_channels": 0,
            "num_active_channels": 1, "num_inactive_channels": 0, "address": [Any](), "binding": [Any](), "version": "v25.09-standin",
            "blockheight": 150, "network": "regtest", "fees_collected_msat": 0, "lightning-dir": "/tmp/standin/regtest",
            "our_features": ["init": "08a0000a8a5961", "node": "88a0000a8a5961", "channel": "", "invoice": "02000002024100"],
        ] as [String: Any])
    }

    private func invoice(_ params: [String: Any]) -> StandInReply {
        guard let msat = params["amount_msat"] as? Int64 ?? (params["amount_msat"] as? Int).map(Int64.init), msat > 0 else {
            return Self.error(-32602, "amount_msat: should be a millisatoshi amount or 'any'")
        }
        guard let label = params["label"] as? String, let description = params["description"] as? String else {
            return Self.error(-32602, "missing required parameter: \(params["label"] == nil ? "label" : "description")")
        }
        let expiry = (params["expiry"] as? Int).map(Int64.init) ?? 604_800
        guard state.withLock({ !$0.labels.contains(label) }) else { return Self.error(900, "Duplicate label '\(label)'") }
        guard let issued = try? network.issue(amountSat: msat / 1000, memo: description, expiry: expiry, key: key) else {
            return Self.error(-1, "cannot create invoice")
        }
        let index = state.withLock { state -> Int in
            state.labels.insert(label)
            let index = state.issued.count + 1
            state.issued[issued.hash] = Issued(label: label, hash: issued.hash, createdIndex: index)
            return index
        }
        return .json(status: 201, body: [
            "payment_hash": Hex.encode(issued.hash), "expires_at": issued.expiresAt, "bolt11": issued.request,
            "payment_secret": Hex.encode(StandInNetwork.randomBytes(32)), "created_index": index,
        ] as [String: Any])
    }

    private func listInvoices(_ params: [String: Any]) -> StandInReply {
        guard let hex = params["payment_hash"] as? String, let hash = try? Hex.decode(hex), hash.count == 32 else {
            return Self.error(-32602, "payment_hash: should be a 32 byte hex value")
        }
        guard let issued = state.withLock({ $0.issued[hash] }), let invoice = network.invoice(hash: hash) else {
            return .json(status: 201, body: ["invoices": [Any]()])
        }
        let now = Int64(Date().timeIntervalSince1970)
        var entry: [String: Any] = [
            "label": issued.label, "bolt11": invoice.request, "payment_hash": hex, "amount_msat": invoice.amountSat * 1000,
            "status": invoice.settled ? "paid" : (now >= invoice.expiresAt ? "expired" : "unpaid"), "description": invoice.memo,
            "expires_at": invoice.expiresAt, "created_index": issued.createdIndex,
        ]
        if invoice.settled {
            entry["pay_index"] = 1
            entry["amount_received_msat"] = invoice.amountSat * 1000
            entry["paid_at"] = now
            entry["payment_preimage"] = Hex.encode(invoice.preimage)
        }
        return .json(status: 201, body: ["invoices": [entry]])
    }

    private func pay(_ params: [String: Any]) -> StandInReply {
        guard let request = params["bolt11"] as? String else { return Self.error(-32602, "missing required parameter: bolt11") }
        guard let decoded = try? Bolt11.Invoice.decode(request) else { return Self.error(-32602, "Invalid bolt11: Bad bech32 string") }
        guard decoded.network == .regtest else { return Self.error(-32602, "Invalid bolt11: Invoice is for another network regtest") }
        let maxfee = (params["maxfee"] as? Int).map(Int64.init)
        let hash = decoded.paymentHash
        return state.withLock { state -> StandInReply in
            if let earlier = state.pays[hash] {
                if earlier.status == "complete" { return .json(status: 201, body: Self.payResult(earlier)) }
                if earlier.status == "pending" { return Self.error(200, "Payment is pending by another pay command") }
            }
            let amount = Int64(decoded.amountMsat ?? 0)
            var pay = Pay(hash: hash, request: request, amountMsat: amount, feeMsat: state.routeFeeMsat, status: "failed")
            if UInt64(Date().timeIntervalSince1970) >= decoded.expiresAt {
                return Self.error(207, "Invoice expired")
            }
            if let maxfee, state.routeFeeMsat > maxfee {
                state.pays[hash] = pay
                return Self.error(206, "Fee exceeds our fee budget: \(state.routeFeeMsat)msat > \(maxfee)msat, discarding route")
            }
            if amount + state.routeFeeMsat > state.spendableMsat {
                state.pays[hash] = pay
                return Self.error(210, "Ran out of routes to try after 1 attempt: see `paystatus`")
            }
            switch network.deliver(request: request) {
            case .settled(let preimage):
                state.spendableMsat -= amount + state.routeFeeMsat
                pay.status = "complete"
                pay.preimage = preimage
                state.pays[hash] = pay
                return .json(status: 201, body: Self.payResult(pay))
            case .held:
                pay.status = "pending"
                state.pays[hash] = pay
                return .silent
            case .alreadyPaid:
                state.pays[hash] = pay
                return Self.error(203, "failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)")
            case .unknownPayee, .expired:
                state.pays[hash] = pay
                return Self.error(205, "Could not find a route")
            }
        }
    }

    static func payResult(_ pay: Pay) -> [String: Any] {
        [
            "destination": "02" + String(repeating: "11", count: 32), "payment_hash": Hex.encode(pay.hash), "created_at": Double(pay.createdAt),
            "parts": 1, "amount_msat": pay.amountMsat, "amount_sent_msat": pay.amountMsat + pay.feeMsat,
            "payment_preimage": Hex.encode(pay.preimage ?? []), "status": pay.status,
        ]
    }

    private func listPays(_ params: [String: Any]) -> StandInReply {
        guard let hex = params["payment_hash"] as? String, let hash = try? Hex.decode(hex), hash.count == 32 else {
            return Self.error(-32602, "payment_hash: should be a 32 byte hex value")
        }
        // A held payment the payee settled since completes.
        if let pending = state.withLock({ $0.pays[hash] }), pending.status == "pending",
            let invoice = network.invoice(hash: hash), invoice.settled, !invoice.holds
        {
            state.withLock { state in
                state.pays[hash]?.status = "complete"
                state.pays[hash]?.preimage = invoice.preimage
                state.spendableMsat -= pending.amountMsat + pending.feeMsat
            }
        }
        guard let pay = state.withLock({ $0.pays[hash] }) else { return .json(status: 201, body: ["pays": [Any]()]) }
        var entry: [String: Any] = [
            "payment_hash": hex, "status": pay.status, "destination": "02" + String(repeating: "11", count: 32),
            "created_at": pay.createdAt, "bolt11": pay.request, "amount_msat": pay.amountMsat,
            "amount_sent_msat": pay.amountMsat + pay.feeMsat,
        ]
        if pay.status != "pending" { entry["completed_at"] = pay.createdAt + 1 }
        if let preimage = pay.preimage, pay.status == "complete" {
            entry["preimage"] = Hex.encode(preimage)
            entry["number_of_parts"] = 1
        }
        return .json(status: 201, body: ["pays": [entry]])
    }
}
