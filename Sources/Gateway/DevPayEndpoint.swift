import L402
import ByteEncoding
import Foundation
import Hummingbird
import Lightning
import Storage

/// `POST /_l402/dev/pay {"invoice": "lnbcrt…"}` → `{"preimage": "<hex>"}`: settles an invoice the
/// embedded dev node issued, so the whole flow runs on one machine. Idempotent: an invoice already
/// settled answers 200 with the same preimage (a payer that crashed after paying resumes without
/// paying twice). It moves no money and does not exist with a real Lightning backend.
struct DevPayEndpoint {
    let node: any LightningNode

    private struct PayRequest: Decodable { var invoice: String }

    func respond(to request: Request) async -> Response {
        var request = request
        let invoice: String
        do {
            let body = try await request.collectBody(upTo: 16 * 1024)
            invoice = try JSONDecoder().decode(PayRequest.self, from: Data(buffer: body)).invoice
        } catch {
            return JSONResponse.error(
                status: .badRequest, code: "bad_request", message: #"expected a JSON body {"invoice": "<bolt11>"} of at most 16 KiB"#)
        }
        do {
            let result = try await node.pay(paymentRequest: invoice.trimmingCharacters(in: .whitespacesAndNewlines), feeLimitSats: 0)
            return JSONResponse.make(status: .ok, ["preimage": Hex.encode(result.preimage), "payment_hash": Hex.encode(result.paymentHash)])
        } catch let error as LightningError {
            let status: HTTPResponse.Status =
                switch error {
                case .alreadyPaid, .paymentInFlight: .conflict
                case .invoiceExpired: .gone
                case .invoiceNotFound, .notOwnInvoice: .notFound
                case .invalidInvoice: .badRequest
                default: .serviceUnavailable
                }
            return JSONResponse.error(status: status, code: Self.code(error), message: error.description)
        } catch where error is DatabaseUnavailable {
            return JSONResponse.databaseUnavailable()
        } catch {
            return JSONResponse.error(status: .serviceUnavailable, code: "payment_failed", message: "\(error)")
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
