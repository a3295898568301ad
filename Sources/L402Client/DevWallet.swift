import AsyncHTTPClient
import ByteEncoding
import Foundation
import NIOCore
import NIOHTTP1

/// Pays invoices issued by an `l402 serve` that runs the embedded dev Lightning node, through
/// its `POST /_l402/dev/pay` endpoint (`{"invoice": …}` → `{"preimage": …}`), and looks past
/// payments up with `GET /_l402/dev/payments/<payment hash>`. Moves no real money; for development and tests.
public struct DevWallet: Wallet {
    /// The gateway's base URL, e.g. `http://127.0.0.1:8402`.
    public let gateway: URL
    private let httpClient: HTTPClient

    /// A wallet paying through the dev payment endpoint of the gateway at `gateway`.
    public init(gateway: URL, httpClient: HTTPClient = .shared) {
        self.gateway = gateway
        self.httpClient = httpClient
    }

    private struct PayRequest: Encodable { var invoice: String }
    private struct PayResponse: Decodable { var preimage: String }
    private struct LookupResponse: Decodable { var status: String; var preimage: String?; var reason: String? }
    private struct ErrorResponse: Decodable { var error: String?; var message: String? }

    public func pay(invoice: String) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url("_l402/dev/pay"))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(PayRequest(invoice: invoice))))
        let (status, data) = try await execute(request)
        guard status == .ok else {
            let error = try? JSONDecoder().decode(ErrorResponse.self, from: data)
            // Gateways from before idempotent dev pay answer 409 for an invoice already settled.
            switch error?.error {
            case "already_paid": throw WalletError.alreadyPaid
            case "payment_in_flight": throw WalletError.inFlight
            default: throw WalletError.failed("dev pay answered \(status.code)\(Self.reason(error).map { " (\($0))" } ?? "")")
            }
        }
        guard let paid = try? JSONDecoder().decode(PayResponse.self, from: data), let preimage = Self.preimage(paid.preimage) else {
            throw WalletError.malformedResponse("dev pay answer has no 32-byte hex preimage")
        }
        return preimage
    }

    public func pastPayment(paymentHash: [UInt8]) async throws -> PastPayment {
        let (status, data) = try await execute(HTTPClientRequest(url: url("_l402/dev/payments/\(Hex.encode(paymentHash))")))
        if status == .notFound, (try? JSONDecoder().decode(ErrorResponse.self, from: data))?.error == "unknown_payment" {
            return .notFound
        }
        guard status == .ok, let found = try? JSONDecoder().decode(LookupResponse.self, from: data) else {
            let reason = Self.reason(try? JSONDecoder().decode(ErrorResponse.self, from: data))
            throw WalletError.malformedResponse("dev payment look-up answered \(status.code)\(reason.map { " (\($0))" } ?? "")")
        }
        switch found.status {
        case "succeeded":
            guard let preimage = found.preimage.flatMap(Self.preimage) else {
                throw WalletError.malformedResponse("dev payment look-up has no 32-byte hex preimage")
            }
            return .paid(preimage: preimage)
        case "in_flight": return .inFlight
        case "failed": return .failed(found.reason ?? "no reason given")
        default: throw WalletError.malformedResponse("dev payment look-up status '\(found.status.prefix(40))'")
        }
    }

    private func url(_ path: String) -> String {
        gateway.appendingPathComponent(path).absoluteString
    }

    private func execute(_ request: HTTPClientRequest) async throws(WalletError) -> (HTTPResponseStatus, Data) {
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 16)
            return (response.status, Data(body.readableBytesView))
        } catch {
            throw .unreachable("\(request.url): \(error)")
        }
    }

    private static func preimage(_ hex: String) -> [UInt8]? {
        guard let bytes = try? Hex.decode(hex), bytes.count == 32 else { return nil }
        return bytes
    }

    private static func reason(_ error: ErrorResponse?) -> String? {
        error.map { [$0.error, $0.message].compactMap { $0 }.joined(separator: ": ") }
    }
}
