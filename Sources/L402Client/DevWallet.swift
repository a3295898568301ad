import AsyncHTTPClient
import ByteEncoding
import Foundation
import NIOCore
import NIOHTTP1

/// Pays invoices issued by an `l402 serve` that runs the embedded dev Lightning node, through
/// its `POST /_l402/dev/pay` endpoint (`{"invoice": …}` → `{"preimage": …}`). Moves no real
/// money; for development and tests.
public struct DevWallet: Wallet {
    /// The gateway's base URL, e.g. `http://127.0.0.1:8402`.
    public let gateway: URL
    private let httpClient: HTTPClient

    public init(gateway: URL, httpClient: HTTPClient = .shared) {
        self.gateway = gateway
        self.httpClient = httpClient
    }

    private struct PayRequest: Encodable { var invoice: String }
    private struct PayResponse: Decodable { var preimage: String }
    private struct ErrorResponse: Decodable { var error: String?; var message: String? }

    public func pay(invoice: String) async throws -> [UInt8] {
        let url = gateway.appendingPathComponent("_l402/dev/pay").absoluteString
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(PayRequest(invoice: invoice))))
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await httpClient.execute(request, timeout: .seconds(30))
            body = try await response.body.collect(upTo: 1 << 16)
        } catch {
            throw WalletError.unreachable("\(url): \(error)")
        }
        let data = Data(body.readableBytesView)
        guard response.status == .ok else {
            let reason = (try? JSONDecoder().decode(ErrorResponse.self, from: data))
                .map { [$0.error, $0.message].compactMap { $0 }.joined(separator: ": ") }
            throw WalletError.failed("dev pay answered \(response.status.code)\(reason.map { " (\($0))" } ?? "")")
        }
        guard let paid = try? JSONDecoder().decode(PayResponse.self, from: data),
              let preimage = try? Hex.decode(paid.preimage), preimage.count == 32
        else {
            throw WalletError.malformedResponse("dev pay answer has no 32-byte hex preimage")
        }
        return preimage
    }
}
