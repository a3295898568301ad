import Bolt11
import ByteEncoding
import Foundation
import NIOHTTP1
import Synchronization

/// A STAND-IN for phoenixd's HTTP API, for tests only (no phoenixd runs on the test machines).
///
/// Followed: ACINQ/phoenixd `src/commonMain/kotlin/fr/acinq/phoenixd/Api.kt` and
/// `json/JsonSerializers.kt` at v0.8.0 (commit 402c2eac), and lightning-kmp's `FinalFailure` texts:
/// - plain HTTP; HTTP basic auth with any user name and the password: the full-access password may do
///   everything, the limited-access one everything but paying; anything else is 401 with phoenixd's text;
/// - parameters form-encoded; `createinvoice` needs `description` (≤ 128 characters) or
///   `descriptionHash`, takes `amountSat`, `expirySeconds` (default 3600), `externalId`, `webhookUrl`;
///   a non-integer number is 400 "Request parameter X couldn't be parsed/converted to Long";
/// - `payments/incoming/{hash}` and `payments/outgoingbyhash/{hash}`: 404 "Not found" when unknown,
///   400 for a hash that is not 32 bytes of hex;
/// - `payinvoice` answers HTTP 200 both ways: `PaymentSent` or `PaymentFailed` with a `reason`; it
///   answers only once the payment is over, so a payment the payee holds gets no answer;
/// - unknown paths 404 "Unknown endpoint (check api doc)".
public final class PhoenixdStandIn: Sendable {
    struct Outgoing: Sendable {
        var id = UUID().uuidString.lowercased()
        var hash: [UInt8]
        var request: String
        var amountSat: Int64
        var feeSat: Int64
        var preimage: [UInt8]?
        var completedAt: Int64?
        var createdAt = Int64(Date().timeIntervalSince1970 * 1000)
    }

    struct State {
        var issued: Set<[UInt8]> = []
        var outgoing: [[UInt8]: Outgoing] = [:]
        var balanceSat: Int64 = 1_000_000
        /// Every request body received, by path.
        var received: [(path: String, form: [String: String])] = []
    }

    public let password = Hex.encode(StandInNetwork.randomBytes(16))
    public let limitedPassword = Hex.encode(StandInNetwork.randomBytes(16))
    public let key = NodeKey.random()
    public let network: StandInNetwork
    let state = Mutex(State())
    private let server: StandInServer

    private init(network: StandInNetwork, server: StandInServer) {
        self.network = network
        self.server = server
    }

    public var url: String { server.url }

    public static func start(network: StandInNetwork = StandInNetwork()) async throws -> PhoenixdStandIn {
        let box = Mutex<PhoenixdStandIn?>(nil)
        let server = try await StandInServer.start(tls: false) { request in
            box.withLock { $0 }?.answer(request) ?? .text(status: 503, body: "starting")
        }
        let standIn = PhoenixdStandIn(network: network, server: server)
        box.withLock { $0 = standIn }
        return standIn
    }

    public func stop() async throws { try await server.stop() }

    // MARK: - Set by the test

    public func setBalance(sats: Int64) { state.withLock { $0.balanceSat = sats } }
    /// The last form received on `path`.
    public func lastForm(path: String) -> [String: String]? { state.withLock { $0.received.last { $0.path == path }?.form } }
    /// How many `payinvoice` calls arrived.
    public var payAttempts: Int { state.withLock { $0.received.filter { $0.path == "/payinvoice" }.count } }

    // MARK: - The API

    func answer(_ request: StandInRequest) -> StandInReply {
        guard let authorization = request.headers.first(name: "Authorization"), authorization.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
            let colon = decoded.firstIndex(of: ":")
        else { return Self.unauthorized }
        let given = String(decoded[decoded.index(after: colon)...])
        let fullAccess = given == password
        guard fullAccess || given == limitedPassword else { return Self.unauthorized }
        if request.method == .POST { state.withLock { $0.received.append((request.path, request.form)) } }

        switch (request.method, request.path) {
        case (.GET, "/getinfo"): return getInfo()
        case (.POST, "/createinvoice"): return createInvoice(request.form)
        case (.POST, "/payinvoice"): return fullAccess ? payInvoice(request.form) : Self.unauthorized
        case (.GET, _) where request.path.hasPrefix("/payments/incoming/"):
            return incoming(hashHex: String(request.path.dropFirst("/payments/incoming/".count)))
        case (.GET, _) where request.path.hasPrefix("/payments/outgoingbyhash/"):
            return outgoing(hashHex: String(request.path.dropFirst("/payments/outgoingbyhash/".count)))
        case (_, "/getinfo"), (_, "/createinvoice"), (_, "/payinvoice"):
            return .text(status: 405, body: "Invalid http method (use the correct GET/POST)")
        default:
            return .text(status: 404, body: "Unknown endpoint (check api doc)")
        }
    }

    static let unauthorized = StandInReply.text(status: 401, body: "Invalid authentication (use basic auth with the http password set in phoenix.conf)")
    static let notFound = StandInReply.text(status: 404, body: "Not found")

    private func getInfo() -> StandInReply {
        .json(status: 200, body: [
            "nodeId": Hex.encode(key.publicKey),
            "channels": [["state": "Normal", "channelId": Hex.encode(StandInNetwork.randomBytes(32)), "balanceSat": 500_000,
                          "inboundLiquiditySat": 1_500_000, "capacitySat": 2_000_000, "fundingTxId": Hex.encode(StandInNetwork.randomBytes(32))]],
            "chain": "regtest", "blockHeight": 150, "version": "0.8.0-standin",
        ] as [String: Any])
    }

    private func createInvoice(_ form: [String: String]) -> StandInReply {
        var amount: Int64?
        if let text = form["amountSat"] {
            guard let value = Int64(text) else { return .text(status: 400, body: "Request parameter amountSat couldn't be parsed/converted to Long") }
            amount = value
        }
        var expiry: Int64 = 3600
        if let text = form["expirySeconds"] {
            guard let value = Int64(text) else { return .text(status: 400, body: "Request parameter expirySeconds couldn't be parsed/converted to Long") }
            expiry = value
        }
        guard let description = form["description"], form["descriptionHash"] == nil else {
            return .text(status: 400, body: "Must provide either a description or descriptionHash")
        }
        guard description.count <= 128 else {
            return .text(status: 400, body: "Request parameter description is too long (max 128 characters)")
        }
        guard let invoice = try? network.issue(amountSat: amount ?? 0, memo: description, expiry: expiry, key: key) else {
            return .text(status: 500, body: "cannot create invoice")
        }
        state.withLock { _ = $0.issued.insert(invoice.hash) }
        return .json(status: 200, body: ["amountSat": amount as Any, "paymentHash": Hex.encode(invoice.hash), "serialized": invoice.request])
    }

    private func incoming(hashHex: String) -> StandInReply {
        guard let hash = try? Hex.decode(hashHex), hash.count == 32 else {
            return .text(status: 400, body: "Request parameter paymentHash couldn't be parsed/converted to hex32")
        }
        guard state.withLock({ $0.issued.contains(hash) }), let invoice = network.invoice(hash: hash) else { return Self.notFound }
        let now = Int64(Date().timeIntervalSince1970)
        return .json(status: 200, body: [
            "type": "incoming_payment", "subType": "lightning", "paymentHash": Hex.encode(hash), "preimage": Hex.encode(invoice.preimage),
            "description": invoice.memo, "invoice": invoice.request, "isPaid": invoice.settled,
            "isExpired": !invoice.settled && now > invoice.expiresAt, "requestedSat": invoice.amountSat,
            "receivedSat": invoice.settled ? invoice.amountSat : 0, "fees": 0, "expiresAt": invoice.expiresAt * 1000,
            "createdAt": invoice.createdAt * 1000,
        ] as [String: Any])
    }

    /// lightning-kmp's `FinalFailure` texts, as `PaymentFailed.reason` carries them.
    public enum Reason {
        public static let alreadyPaid = "this invoice has already been paid"
        public static let inProgress = "another payment is in progress for that invoice"
        public static let noFunds = "not enough funds in wallet to afford payment"
        public static let unreachable = "the recipient was offline or did not have enough liquidity to receive the payment"
        public static let rejected = "the recipient rejected the payment"
    }

    private func payInvoice(_ form: [String: String]) -> StandInReply {
        guard let request = form["invoice"], let decoded = try? Bolt11.Invoice.decode(request) else {
            return .text(status: 400, body: "Request parameter invoice couldn't be parsed/converted to bolt11invoice")
        }
        let hash = decoded.paymentHash
        func failed(_ reason: String) -> StandInReply { .json(status: 200, body: ["paymentHash": Hex.encode(hash), "reason": reason]) }
        return state.withLock { state -> StandInReply in
            switch state.outgoing[hash] {
            case let earlier? where earlier.preimage != nil: return failed(Reason.alreadyPaid)
            case let earlier? where earlier.completedAt == nil: return failed(Reason.inProgress)
            default: break
            }
            let amount = Int64((decoded.amountMsat ?? 0) / 1000)
            let fee = 4 + amount * 4 / 1000  // a trampoline fee of the shape ACINQ charges (a base plus a proportion)
            var payment = Outgoing(hash: hash, request: request, amountSat: amount, feeSat: fee)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            guard amount + fee <= state.balanceSat else {
                payment.completedAt = now
                state.outgoing[hash] = payment
                return failed(Reason.noFunds)
            }
            switch network.deliver(request: request) {
            case .settled(let preimage):
                state.balanceSat -= amount + fee
                payment.preimage = preimage
                payment.completedAt = now
                state.outgoing[hash] = payment
                return .json(status: 200, body: [
                    "recipientAmountSat": amount, "routingFeeSat": fee, "paymentId": payment.id,
                    "paymentHash": Hex.encode(hash), "paymentPreimage": Hex.encode(preimage),
                ] as [String: Any])
            case .held:
                state.outgoing[hash] = payment  // pending: phoenixd answers only when it is over
                return .silent
            case .alreadyPaid:
                payment.completedAt = now
                state.outgoing[hash] = payment
                return failed(Reason.rejected)
            case .unknownPayee, .expired:
                payment.completedAt = now
                state.outgoing[hash] = payment
                return failed(Reason.unreachable)
            }
        }
    }

    private func outgoing(hashHex: String) -> StandInReply {
        guard let hash = try? Hex.decode(hashHex), hash.count == 32 else {
            return .text(status: 400, body: "Request parameter paymentHash couldn't be parsed/converted to hex32")
        }
        // A held payment the payee settled since.
        if let pending = state.withLock({ $0.outgoing[hash] }), pending.completedAt == nil,
            let invoice = network.invoice(hash: hash), invoice.settled, !invoice.holds
        {
            state.withLock { state in
                state.outgoing[hash]?.preimage = invoice.preimage
                state.outgoing[hash]?.completedAt = Int64(Date().timeIntervalSince1970 * 1000)
                state.balanceSat -= pending.amountSat + pending.feeSat
            }
        }
        guard let payment = state.withLock({ $0.outgoing[hash] }) else { return Self.notFound }
        var body: [String: Any] = [
            "type": "outgoing_payment", "subType": "lightning", "paymentId": payment.id, "paymentHash": Hex.encode(hash),
            "isPaid": payment.preimage != nil, "sent": payment.amountSat + payment.feeSat, "fees": payment.feeSat * 1000,
            "invoice": payment.request, "createdAt": payment.createdAt,
        ]
        if let preimage = payment.preimage { body["preimage"] = Hex.encode(preimage) }
        if let completedAt = payment.completedAt { body["completedAt"] = completedAt }
        return .json(status: 200, body: body)
    }
}
