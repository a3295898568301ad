import Foundation
import NIOHTTP1

extension L402Client {
    /// Pays an L402 offer that arrived some other way than as an HTTP 402, e.g. in the `data.l402`
    /// of an MCP `-32042` error: `wwwAuthenticate` are its challenge values and `body` its JSON
    /// (`macaroon`, `invoice`, `amount_sats`, …). The same checks as for a 402 apply (the invoice
    /// matches the challenge, its amount fits the budget), and the token is kept in the cache for
    /// `url`'s origin and path, pending until paid, so a crash after paying resumes without paying twice.
    public func pay(wwwAuthenticate: [String], body: [UInt8], for url: URL) async throws(L402ClientError) -> (token: CachedToken, payment: L402Payment) {
        guard let origin = Origin(url: url) else { throw .invalidURL(url.absoluteString) }
        let challenged = L402Response(
            status: 402, headers: HTTPHeaders(wwwAuthenticate.map { ("WWW-Authenticate", $0) }), body: body)
        let (token, payment) = try await pay(challenged, request: L402Request(url: url), origin: origin, path: url.path.isEmpty ? "/" : url.path)
        return (token, payment)
    }
}
