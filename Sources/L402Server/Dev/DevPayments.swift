import ByteEncoding
import Foundation
import HTTPTypes
import L402
import Lightning

/// The dev node's payment endpoints, framework-free, so the gateway and every middleware serve the
/// same ones: `POST /_l402/dev/pay` settles an invoice the dev node issued and returns its preimage
/// (what a real wallet does after paying over Lightning), and `GET /_l402/dev/payments/<hash>`
/// tells what became of such a payment, so a client that crashed after paying finds its preimage
/// without paying again. They move no money: serve them only with the dev node.
public struct DevPayments: Sendable {
    /// The node whose invoices these routes settle: serve them only with the dev node.
    public let node: any LightningNode

    /// `POST` here with `{"invoice": "<bolt11>"}`.
    public static let payPath = "/_l402/dev/pay"
    /// `GET` this prefix followed by the payment hash in hex.
    public static let paymentsPathPrefix = "/_l402/dev/payments/"
    /// The largest request body `pay` reads.
    public static let maximumBodyBytes = 16 * 1024

    /// Dev payment routes on this node.
    public init(node: any LightningNode) {
        self.node = node
    }

    private struct PayRequest: Decodable { var invoice: String }

    /// Pays the invoice in `body` (`{"invoice": "<bolt11>"}`; nil when the body could not be read
    /// or was over `maximumBodyBytes`): 200 `{"preimage", "payment_hash"}`, or 400/404/409/410/503
    /// with `{"error", "message"}`.
    public func pay(body: [UInt8]?) async -> PaywallResponse {
        guard let body, body.count <= Self.maximumBodyBytes, let invoice = try? JSONDecoder().decode(PayRequest.self, from: Data(body)).invoice else {
            return .error(status: .badRequest, code: "bad_request", message: #"expected a JSON body {"invoice": "<bolt11>"} of at most 16 KiB"#)
        }
        do {
            let result = try await node.pay(paymentRequest: invoice.trimmingCharacters(in: .whitespacesAndNewlines), feeLimitSats: 0)
            return .json(status: .ok, ["preimage": Hex.encode(result.preimage), "payment_hash": Hex.encode(result.paymentHash)])
        } catch let error as LightningError {
            let status: HTTPResponse.Status =
                switch error {
                case .alreadyPaid, .paymentInFlight: .conflict
                case .invoiceExpired: .gone
                case .invoiceNotFound, .notOwnInvoice: .notFound
                case .invalidInvoice: .badRequest
                default: .serviceUnavailable
                }
            return .error(status: status, code: Self.code(error), message: error.description)
        } catch where error is DatabaseUnavailable {
            return .databaseUnavailable()
        } catch {
            return .error(status: .serviceUnavailable, code: "payment_failed", message: "\(error)")
        }
    }

    /// What the dev node knows of its payment of `paymentHashHex`: `{"status": "succeeded",
    /// "payment_hash", "preimage"}`, `in_flight`, `failed` (with `reason`), or 404 `unknown_payment`.
    public func lookup(paymentHashHex: String) async -> PaywallResponse {
        guard let hash = try? Hex.decode(paymentHashHex), hash.count == 32 else {
            return .error(status: .badRequest, code: "bad_request", message: "expected a 32-byte payment hash in hex")
        }
        do {
            switch try await node.paymentStatus(paymentHash: hash) {
            case .succeeded(let result):
                return .json(status: .ok, [
                    "status": "succeeded", "payment_hash": Hex.encode(result.paymentHash), "preimage": Hex.encode(result.preimage),
                ])
            case .inFlight:
                return .json(status: .ok, ["status": "in_flight", "payment_hash": paymentHashHex.lowercased()])
            case .failed(let error):
                return .json(status: .ok, ["status": "failed", "payment_hash": paymentHashHex.lowercased(), "reason": error.description])
            case .unknown:
                return .error(status: .notFound, code: "unknown_payment", message: "the dev node made no payment with this hash")
            }
        } catch where error is DatabaseUnavailable {
            return .databaseUnavailable()
        } catch {
            return .error(status: .serviceUnavailable, code: "lookup_failed", message: "\(error)")
        }
    }

    private static func code(_ error: LightningError) -> String {
        switch error {
        case .alreadyPaid: "already_paid"
        case .paymentInFlight: "payment_in_flight"
        case .invoiceExpired: "invoice_expired"
        case .invoiceNotFound, .notOwnInvoice: "unknown_invoice"
        case .invalidInvoice: "invalid_invoice"
        default: "payment_failed"
        }
    }
}
