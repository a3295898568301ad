import L402
import ByteEncoding
import Hummingbird
import Lightning
import Storage

/// `GET /_l402/dev/payments/<payment hash hex>`: what the embedded dev node knows of a payment it
/// made through `POST /_l402/dev/pay` — `{"status": "succeeded", "payment_hash", "preimage"}`, or
/// 404 `unknown_payment`. A client that crashed after paying finds its preimage here without
/// paying again. Like dev pay it moves no money and exists only with the dev node (where anyone
/// may settle any invoice, so the preimage it reveals protects nothing).
struct DevPaymentLookupEndpoint {
    let node: any LightningNode

    static let pathPrefix = "/dev/payments/"

    func respond(paymentHashHex: String) async -> Response {
        guard let hash = try? Hex.decode(paymentHashHex), hash.count == 32 else {
            return JSONResponse.error(status: .badRequest, code: "bad_request", message: "expected a 32-byte payment hash in hex")
        }
        do {
            switch try await node.paymentStatus(paymentHash: hash) {
            case .succeeded(let result):
                return JSONResponse.make(status: .ok, [
                    "status": "succeeded", "payment_hash": Hex.encode(result.paymentHash), "preimage": Hex.encode(result.preimage),
                ])
            case .inFlight:
                return JSONResponse.make(status: .ok, ["status": "in_flight", "payment_hash": paymentHashHex.lowercased()])
            case .failed(let error):
                return JSONResponse.make(status: .ok, [
                    "status": "failed", "payment_hash": paymentHashHex.lowercased(), "reason": error.description,
                ])
            case .unknown:
                return JSONResponse.error(status: .notFound, code: "unknown_payment", message: "the dev node made no payment with this hash")
            }
        } catch where error is DatabaseUnavailable {
            return JSONResponse.databaseUnavailable()
        } catch {
            return JSONResponse.error(status: .serviceUnavailable, code: "lookup_failed", message: "\(error)")
        }
    }
}
