import L402
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Sends one client request to a tool's upstream and hands back its answer, bodies streamed both ways.
///
/// Owns the HTTP client and its connection pool; call `shutdown()` once the server has stopped.
public final class UpstreamForwarder: Sendable {
    let client: HTTPClient
    let timeout: TimeAmount
    let maxBodyBytes: Int

    /// - Parameters:
    ///   - poolSize: connections kept per upstream host (async-http-client's default of 8 starves a busy gateway).
    ///   - timeoutSeconds: deadline for the upstream's response head.
    ///   - connectTimeoutSeconds: how long to keep trying to connect before answering 502.
    ///   - maxBodyBytes: largest request body forwarded.
    public init(poolSize: Int, timeoutSeconds: Int, connectTimeoutSeconds: Int = 5, maxBodyBytes: Int) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow  // a proxy passes redirects on, it does not follow them
        configuration.decompression = .disabled
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: poolSize)
        configuration.timeout = .init(connect: .seconds(Int64(connectTimeoutSeconds)))
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = .seconds(Int64(timeoutSeconds))
        self.maxBodyBytes = maxBodyBytes
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Forwards `request` to `url`. Returns the upstream's response for any status below 500;
    /// throws `UpstreamFailure` for a 5xx answer (its body is dropped) or when no answer came.
    /// `body`: sent instead of the request's own body (one the gateway read and checked first).
    func forward(
        _ request: Request, to url: String, clientAddress: String?, body: ByteBuffer? = nil
    ) async throws(UpstreamFailure) -> HTTPClientResponse {
        var upstream = HTTPClientRequest(url: url)
        upstream.method = HTTPMethod(rawValue: request.method.rawValue)
        upstream.headers = ForwardedHeaders.upstreamRequestHeaders(
            from: request.headers, clientAddress: clientAddress, host: request.head.authority)
        if let body {
            upstream.body = .bytes(body)
        } else if let length = try declaredBodyLength(of: request) {
            // Attach a body only when the client sent one: a bodiless GET must not go out chunked.
            let body = LimitedBody(base: request.body, limit: maxBodyBytes)
            upstream.body = .stream(body, length: length.map { .known(Int64($0)) } ?? .unknown)
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(upstream, timeout: timeout)
        } catch let failure as UpstreamFailure {
            throw failure
        } catch {
            throw Self.classify(error)
        }
        guard response.status.code < 500 else { throw .serverError(status: Int(response.status.code)) }
        return response
    }

    /// nil: no body. `.some(nil)`: a body of unknown length (chunked). `.some(n)`: `n` bytes.
    private func declaredBodyLength(of request: Request) throws(UpstreamFailure) -> Int?? {
        if let value = request.headers[.contentLength] {
            guard let length = Int(value.trimmingCharacters(in: .whitespaces)), length >= 0 else { return nil }
            guard length <= maxBodyBytes else { throw .bodyTooLarge(limit: maxBodyBytes) }
            return length > 0 ? .some(length) : nil
        }
        if request.headers[.transferEncoding] != nil { return .some(nil) }
        return nil
    }

    private static func classify(_ error: any Error) -> UpstreamFailure {
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .readTimeout, .deadlineExceeded, .connectTimeout, .getConnectionFromPoolTimeout, .writeTimeout:
                return .timedOut
            default:
                return .unreachable("\(clientError)")
            }
        }
        return .unreachable(String(describing: error))
    }
}
