import Lightning
import AsyncHTTPClient
import ByteEncoding
import Crypto
import Foundation
import NIOCore

/// Paying and looking payments up: both read LND's stream of `lnrpc.Payment` updates (one JSON
/// object a line), from `POST /v2/router/send` and `GET /v2/router/track/{payment_hash}`.
extension LNDNode {
    public func pay(paymentRequest: String, feeLimitSats: UInt64) async throws -> PaymentResult {
        guard let feeLimit = Int64(exactly: feeLimitSats) else { throw LightningError.paymentFailed("fee limit too large") }
        let body = LNDSendPaymentRequest(
            paymentRequest: paymentRequest, feeLimitSat: LNDInt(feeLimit),
            timeoutSeconds: Int32(clamping: configuration.paymentTimeoutSeconds)
        )
        let timeout = TimeAmount.seconds(Int64(configuration.paymentTimeoutSeconds + configuration.requestTimeoutSeconds))
        let response = try await send(.POST, "/v2/router/send", body: try LNDJSON.encoder().encode(body), timeout: timeout)
        guard response.status == .ok else { throw try await errorAnswer(response) }
        let result = try await firstLine(of: response) { line -> PaymentResult? in
            let item = try Self.streamItem(line: line)
            if let status = item.error { throw LNDErrorMapping.error(httpStatus: 200, status: status) }
            switch try Self.status(of: item) {
            case .succeeded(let result): return result
            case .failed(let error): throw error
            case .inFlight, .unknown: return nil
            }
        }
        guard let result else {
            throw LightningError.malformedResponse("payment stream ended before a final SUCCEEDED or FAILED status")
        }
        return result
    }

    /// Looks the payment up with `GET /v2/router/track/{payment_hash}` and reads only the stream's
    /// first item, the payment's current state (the stream of an in-flight payment stays open).
    /// LND's "payment isn't initiated" (gRPC NOT_FOUND) is `.unknown`.
    public func paymentStatus(paymentHash: [UInt8]) async throws -> PaymentStatus {
        guard paymentHash.count == 32 else { throw LightningError.invalidInvoice("a payment hash is 32 bytes") }
        let path = "/v2/router/track/\(Self.pathBase64(paymentHash))"
        let response = try await send(.GET, path, body: nil, timeout: rest.requestTimeout)
        guard response.status == .ok else {
            let status = try await errorStatus(response)
            if LNDErrorMapping.isPaymentNotInitiated(status) { return .unknown }
            throw LNDErrorMapping.error(httpStatus: Int(response.status.code), status: status)
        }
        let status = try await firstLine(of: response) { line -> PaymentStatus? in
            let item = try Self.streamItem(line: line)
            if let error = item.error {
                if LNDErrorMapping.isPaymentNotInitiated(error) { return .unknown }
                throw LNDErrorMapping.error(httpStatus: 200, status: error)
            }
            return try Self.status(of: item)
        }
        guard let status else { throw LightningError.malformedResponse("payment track stream ended without an item") }
        return status
    }

    // MARK: - The stream

    /// Feeds each line of the streamed body to `read` until it returns a value; nil if the stream ends first.
    private func firstLine<T>(of response: HTTPClientResponse, _ read: ([UInt8]) throws -> T?) async throws -> T? {
        var splitter = JSONLineSplitter(maximumLineLength: Self.maximumBodyBytes)
        do {
            for try await chunk in response.body {
                for line in try splitter.append(chunk.readableBytesView) {
                    if let value = try read(line) { return value }
                }
            }
        } catch is JSONLineSplitter.LineTooLong {
            throw LightningError.malformedResponse("payment stream line longer than \(Self.maximumBodyBytes) bytes")
        } catch let error as LightningError {
            throw error
        } catch {
            throw LightningError.unreachable("\(configuration.restURL.absoluteString): payment stream broke: \(error)")
        }
        if let line = splitter.finish() { return try read(line) }
        return nil
    }

    static func streamItem(line: [UInt8]) throws -> LNDPaymentStreamItem {
        do {
            return try LNDJSON.decoder().decode(LNDPaymentStreamItem.self, from: Data(line))
        } catch {
            throw LightningError.malformedResponse("payment stream item is not the documented JSON: \(error)")
        }
    }

    /// The state a `{"result": Payment}` item reports. A SUCCEEDED payment's preimage is checked
    /// against its hash: a preimage that does not open the hash proves nothing.
    static func status(of item: LNDPaymentStreamItem) throws -> PaymentStatus {
        guard let payment = item.result else {
            throw LightningError.malformedResponse("payment stream item has neither result nor error")
        }
        switch payment.status {
        case "SUCCEEDED":
            guard let hash = payment.paymentHash.flatMap({ try? Hex.decode($0) }), hash.count == 32,
                let preimage = payment.paymentPreimage.flatMap({ try? Hex.decode($0) }), preimage.count == 32
            else {
                throw LightningError.malformedResponse("SUCCEEDED payment without a 32-byte hex payment_hash and payment_preimage")
            }
            guard Array(SHA256.hash(data: preimage)) == hash else {
                throw LightningError.malformedResponse("payment_preimage does not hash to payment_hash")
            }
            let fee = payment.feeMsat?.value ?? 0
            return .succeeded(PaymentResult(paymentHash: hash, preimage: preimage, feeMsat: UInt64(clamping: fee)))
        case "FAILED":
            return .failed(LNDErrorMapping.paymentFailure(reason: payment.failureReason))
        // UNKNOWN is lnd's deprecated zero value; treat it as unfinished rather than guess.
        case "IN_FLIGHT", "INITIATED", "UNKNOWN":
            return .inFlight
        default:
            throw LightningError.malformedResponse("unknown payment status '\(payment.status.prefix(40))'")
        }
    }

    /// A `bytes` path parameter as grpc-gateway reads it: base64 (it tries the standard, then the
    /// URL-safe alphabet, both padded); URL-safe so no `/` splits the path.
    static func pathBase64(_ bytes: [UInt8]) -> String {
        let unpadded = Base64.encodeURLSafe(bytes)
        return unpadded + String(repeating: "=", count: (4 - unpadded.count % 4) % 4)
    }
}
