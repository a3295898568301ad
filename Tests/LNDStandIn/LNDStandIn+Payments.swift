import Bolt11
import ByteEncoding
import Foundation
import NIOHTTP1

/// Our stand-in node's outgoing payments, as lnd's router keeps them: `/v2/router/send` makes
/// them, `/v2/router/track/{payment_hash}` reports them.
extension LNDStandIn {
    /// One payment our node sent or tried to send (`lnrpc.Payment`).
    struct SentPayment: Sendable {
        var request: String
        var hash: [UInt8]
        var amountSat: Int64
        var feeMsat: Int64 = 0
        var status: String
        var preimage: [UInt8]?
        var failureReason = "FAILURE_REASON_NONE"
        var creationDate = Int64(Date().timeIntervalSince1970)
    }

    /// Makes an invoice of another node (e.g. a dev node behind an L402 server) payable from ours,
    /// as if a channel led to its payee; `preimage` is what that payee reveals.
    func addRoute(to paymentRequest: String, preimage: [UInt8], holdsPayment: Bool = false) throws {
        let invoice = try Bolt11.Invoice.decode(paymentRequest)
        let remote = RemoteInvoice(
            paymentHash: invoice.paymentHash, preimage: preimage, amountSat: Int64((invoice.amountMsat ?? 0) / 1000), routeFeeMsat: 0,
            holdsPayment: holdsPayment)
        state.withLock { $0.remote[paymentRequest] = remote }
    }

    /// How many payment attempts our node received (`POST /v2/router/send`).
    var sendAttempts: Int { state.withLock { $0.received.filter { $0.path == "/v2/router/send" }.count } }

    /// The payee of a held payment settles it: the payment SUCCEEDED with the payee's preimage.
    func releaseHeldPayment(hash: [UInt8]) {
        state.withLock { state in
            guard var payment = state.payments[hash], payment.status == "IN_FLIGHT", let remote = state.remote[payment.request] else { return }
            payment.status = "SUCCEEDED"
            payment.preimage = remote.preimage
            payment.feeMsat = remote.routeFeeMsat
            state.payments[hash] = payment
        }
    }

    func sendPayment(_ json: [String: Any]) -> Answer {
        if let unknown = json.keys.first(where: { !Self.sendPaymentFields.contains($0) }) {
            return Self.failure(.badRequest, code: 3, "proto: (line 1:2): unknown field \"\(unknown)\"", streaming: true)
        }
        guard let request = json["payment_request"] as? String, let feeLimitSat = Self.int64(json["fee_limit_sat"] ?? "0"),
            let timeout = json["timeout_seconds"] as? Int, timeout > 0
        else {
            return Self.failure(.internalServerError, code: 2, "timeout_seconds must be specified", streaming: true)
        }
        let decoded: Bolt11.Invoice
        switch Self.zpay32Decode(request) {
        case .failure(let refusal): return Self.failure(.internalServerError, code: 2, refusal.message, streaming: true)
        case .success(let invoice): decoded = invoice
        }
        if decoded.expiresAt <= UInt64(Date().timeIntervalSince1970) {
            return Self.failure(.internalServerError, code: 2, "invoice expired. Valid until \(decoded.expiresAt)", streaming: true)
        }
        return state.withLock { state -> Answer in
            // lnd's control tower: one payment per hash; only a FAILED one may be tried again.
            switch state.payments[decoded.paymentHash]?.status {
            case "SUCCEEDED": return Self.failure(.internalServerError, code: 2, "invoice is already paid", streaming: true)
            case "IN_FLIGHT": return Self.failure(.internalServerError, code: 2, "payment is in transition", streaming: true)
            default: break
            }
            let remote = state.remote[request]
            var payment = SentPayment(
                request: request, hash: decoded.paymentHash, amountSat: remote?.amountSat ?? 0, status: "IN_FLIGHT")
            let inFlight = Self.paymentJSON(payment)
            if let remote, remote.holdsPayment {
                // The HTLC is held: the stream reports IN_FLIGHT, then breaks (as when our connection drops).
                state.payments[payment.hash] = payment
                return .stream(lines: [inFlight])
            }
            switch remote {
            case nil:
                payment.status = "FAILED"
                payment.failureReason = "FAILURE_REASON_NO_ROUTE"
            case let remote? where remote.amountSat > state.balanceSat:
                payment.status = "FAILED"
                payment.failureReason = "FAILURE_REASON_INSUFFICIENT_BALANCE"
            case let remote? where remote.routeFeeMsat > feeLimitSat * 1000:
                payment.status = "FAILED"
                payment.failureReason = "FAILURE_REASON_NO_ROUTE"
            case let remote?:
                state.balanceSat -= remote.amountSat
                payment.status = "SUCCEEDED"
                payment.preimage = remote.preimage
                payment.feeMsat = remote.routeFeeMsat
            }
            state.payments[payment.hash] = payment
            return .stream(lines: [inFlight, Self.paymentJSON(payment)])
        }
    }

    /// `GET /v2/router/track/{payment_hash}`: the payment's current state first; the stream ends after
    /// a final state and stays open while the payment is in flight. A payment our node never made
    /// is gRPC NOT_FOUND "payment isn't initiated", before any message (HTTP 404).
    func trackPayment(hashBase64: String) -> Answer {
        guard let hash = Self.grpcGatewayBytes(hashBase64.removingPercentEncoding ?? hashBase64), hash.count == 32 else {
            return Self.failure(.badRequest, code: 3, "type mismatch, parameter: payment_hash, error: illegal base64 data", streaming: true)
        }
        guard let payment = state.withLock({ $0.payments[hash] }) else {
            return Self.failure(.notFound, code: 5, "payment isn't initiated", streaming: true)
        }
        return .stream(lines: [Self.paymentJSON(payment)], open: payment.status == "IN_FLIGHT")
    }

    /// `{"result": Payment}` as lnd writes it; hashes and preimages in hex, an all-zero preimage until paid.
    static func paymentJSON(_ payment: SentPayment) -> Any {
        let fee = payment.feeMsat
        return ["result": [
            "payment_hash": Hex.encode(payment.hash), "value": String(payment.amountSat), "creation_date": String(payment.creationDate),
            "fee": String(fee / 1000), "payment_preimage": payment.preimage.map { Hex.encode($0) } ?? String(repeating: "0", count: 64),
            "value_sat": String(payment.amountSat), "value_msat": String(payment.amountSat * 1000), "payment_request": payment.request,
            "status": payment.status, "fee_sat": String(fee / 1000), "fee_msat": String(fee),
            "creation_time_ns": String(payment.creationDate * 1_000_000_000), "htlcs": [Any](), "payment_index": "1",
            "failure_reason": payment.failureReason, "first_hop_custom_records": [String: Any](),
        ] as [String: Any]]
    }

    /// A `bytes` path parameter decoded as grpc-gateway does: padded standard base64, else padded URL-safe base64.
    static func grpcGatewayBytes(_ text: String) -> [UInt8]? {
        if let data = Data(base64Encoded: text) { return Array(data) }
        guard !text.contains("+"), !text.contains("/") else { return nil }
        let standard = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        return Data(base64Encoded: standard).map(Array.init)
    }
}
