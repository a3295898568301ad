import AsyncHTTPClient
import ByteEncoding
import Crypto
import Foundation
import L402
import NIOCore
import NIOHTTP1

/// An HTTP client that pays L402 and `Payment` (Lightning `charge`) challenges by itself, within a budget.
///
/// `send` sends the request with a cached token that covers it when there is one. On a 402 it
/// checks the challenge (`ChallengeCheck`), reserves the price in the `Budget`, saves the pending
/// challenge in the `TokenCache` *before* paying, pays through the `Wallet`, stores the token and
/// re-sends with `Authorization: L402 <macaroon>:<preimage>` (or `Payment <credential>`; which
/// scheme is paid when a 402 offers both: `SchemePreference`). A cached token the server refuses
/// (401/402) is dropped and the request paid afresh, once. A pending challenge left by a run that
/// was interrupted is resumed first, with the preimage of its payment when the wallet has one
/// (`Wallet.pastPayment`): one payment hash is never paid twice.
public final class L402Client: Sendable {
    /// Where tokens are kept between calls and runs.
    public let cache: TokenCache
    /// What the client may spend.
    public let budget: Budget
    /// Nil for a sub-agent that may only use tokens handed to it.
    public let wallet: (any Wallet)?
    private let httpClient: HTTPClient
    let onEvent: @Sendable (L402ClientEvent) -> Void
    /// Largest response body read.
    public let maximumBodyBytes: Int
    private let timeout: TimeAmount
    /// Which scheme to pay when a 402 offers both.
    public let preference: SchemePreference
    /// What every paid invoice must satisfy (network, pinned payee).
    public let invoicePolicy: InvoicePolicy

    /// A client that pays with `wallet` within `budget`, caching tokens in `cache`; bodies larger than `maximumBodyBytes` are refused, requests time out after `timeoutSeconds`, and `onEvent` hears of each payment step.
    public init(
        cache: TokenCache, budget: Budget = Budget(), wallet: (any Wallet)?, httpClient: HTTPClient = .shared,
        maximumBodyBytes: Int = 64 << 20, timeoutSeconds: Int64 = 60, preference: SchemePreference = .auto,
        invoicePolicy: InvoicePolicy = InvoicePolicy(), onEvent: @escaping @Sendable (L402ClientEvent) -> Void = { _ in }
    ) {
        self.cache = cache
        self.budget = budget
        self.wallet = wallet
        self.httpClient = httpClient
        self.maximumBodyBytes = maximumBodyBytes
        self.timeout = .seconds(timeoutSeconds)
        self.onEvent = onEvent
        self.preference = preference
        self.invoicePolicy = invoicePolicy
    }

    /// Sends `request`, paying for it if the server asks and every check passes.
    public func send(_ request: L402Request) async throws(L402ClientError) -> L402Response {
        guard let origin = Origin(url: request.url) else { throw .invalidURL(request.url.absoluteString) }
        let path = request.url.path.isEmpty ? "/" : request.url.path

        if let credential = request.credential {
            return try await execute(request, authorization: "L402 " + credential)
        }

        var first: L402Response?
        let cachedToken = try await cached { try await self.cache.checkOut(origin: origin, path: path) }
        if let token = cachedToken {
            onEvent(.usingCachedToken(id: token.shortID, scope: token.scope, callsLeft: token.callsLeft))
            var response = try await execute(request, authorization: token.authorizationHeader)
            response.token = token
            await keepReceipt(of: &response, token: token)
            switch response.status {
            case 401, 402:
                onEvent(.cachedTokenRefused(id: token.shortID, status: response.status))
                try await cached { _ = try await self.cache.remove(token) }
                if response.status == 402 { first = response }
            case 500...:
                try await cached { try await self.cache.giveBack(token) }
                return response
            default:
                return response
            }
        }

        if let resumed = try await resumePending(request, origin: origin, path: path) { return resumed }

        let challenged: L402Response
        if let first { challenged = first } else { challenged = try await execute(request, authorization: nil) }
        guard challenged.status == 402 else { return challenged }
        let (token, payment) = try await pay(challenged, request: request, origin: origin, path: path)
        var response = try await execute(request, authorization: token.authorizationHeader)
        response.payments = [payment]
        response.token = token
        await keepReceipt(of: &response, token: token)
        return response
    }

    /// The scope a token bought for `path` covers: the tool's prefix `/<tool>/` when the path is
    /// under it (the gateway routes `/<tool>/…`), else the path's first segment, else `/`.
    static func scope(path: String, tool: String?) -> String {
        if let tool, !tool.isEmpty, CachedToken.path(path, isUnder: "/\(tool)/") { return "/\(tool)/" }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let first = segments.first, segments.count > 1 || path.hasSuffix("/") else { return "/" }
        return "/\(first)/"
    }

    // MARK: - HTTP

    func execute(_ request: L402Request, authorization: String?) async throws(L402ClientError) -> L402Response {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method.uppercased())
        outgoing.headers = request.headers
        outgoing.headers.remove(name: "Authorization")
        if let authorization { outgoing.headers.add(name: "Authorization", value: authorization) }
        if let body = request.body, !body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await httpClient.execute(outgoing, timeout: timeout)
            let body = try await response.body.collect(upTo: maximumBodyBytes)
            return L402Response(status: Int(response.status.code), headers: response.headers, body: Array(body.readableBytesView))
        } catch {
            throw .transport("\(request.method) \(request.url.absoluteString): \(error)")
        }
    }

    func cached<T>(_ body: () async throws -> T) async throws(L402ClientError) -> T {
        do {
            return try await body()
        } catch let error as TokenCacheError {
            throw .cache(error)
        } catch {
            throw .cache(.io(path: cache.directory, reason: "\(error)"))
        }
    }
}

extension CachedToken {
    /// The first 12 hex digits of the token id (or payment hash): how `l402 token` names a token.
    public var shortID: String { String((tokenID ?? paymentHash).prefix(12)) }
}
