import AsyncHTTPClient
import Foundation
import Lightning
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// The one HTTP client of the node backends (LND, phoenixd, Core Lightning, LNbits): a base URL,
/// the TLS trust (a pinned certificate, or the system roots), a deadline per call, a cap on answer
/// sizes, and transport failures as `LightningError.unreachable`.
///
/// Requests go through AsyncHTTPClient's shared client with a per-request TLS configuration, so
/// there is nothing to shut down. Credentials travel in the headers each backend passes; they are
/// never logged (only the method and path are).
struct RESTClient: Sendable {
    /// What a request carries.
    enum Body {
        /// `application/json`.
        case json(Data)
        /// The answer's JSON as `T`; `what` names the call in the error.
    static func decode<T: Decodable>(_ type: T.Type, _ answer: Answer, decoder: JSONDecoder, what: String) throws(LightningError) -> T {
        do {
            return try decoder.decode(T.self, from: Data(answer.body))
        } catch {
            throw .malformedResponse("\(what): answer is not the documented JSON: \(error)")
        }
    }

    /// A node's base URL from configuration: absolute, with a host, `https` when `requireHTTPS`.
    static func baseURL(_ text: String, setting: String, requireHTTPS: Bool) throws(LightningError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host != nil,
            scheme == "https" || (!requireHTTPS && scheme == "http")
        else {
            let wanted = requireHTTPS ? "an https:// URL" : "an http:// or https:// URL"
            throw .configuration("\(setting) must be \(wanted) with a host, got '\(text.prefix(200))'")
        }
        return url
    }

    /// `application/x-www-form-urlencoded` (phoenixd's parameters).
        case form([(String, String)])
    }

    /// A whole answer: its status and body (at most `maximumBodyBytes`).
    struct Answer {
        var status: Int
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    let baseURL: URL
    let tls: TLSConfiguration
    /// Deadline of a call unless the call names a longer one (payments).
    let requestTimeout: TimeAmount
    /// Names the setting to check when the TLS handshake fails, e.g. `LND_TLS_CERT`.
    let certificateSetting: String
    let logger: Logger
    /// Largest answer we read; these APIs answer a few kilobytes.
    static let maximumBodyBytes = 1 << 20

    /// - Parameter pinnedCertificatePath: PEM file of the only certificate to trust (a node's
    ///   self-signed one); nil trusts the system roots. Throws `.configuration` if it holds no certificate.
    init(
        baseURL: URL, pinnedCertificatePath: String?, certificateSetting: String, requestTimeoutSeconds: Int, logger: Logger
    ) throws(LightningError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let path = pinnedCertificatePath {
            let certificates = (try? NIOSSLCertificate.fromPEMFile(path)) ?? []
            guard !certificates.isEmpty else { throw .configuration("\(certificateSetting) '\(path)' holds no PEM certificate") }
            tls.trustRoots = .certificates(certificates)
        }
        self.baseURL = baseURL
        self.tls = tls
        self.requestTimeout = .seconds(Int64(requestTimeoutSeconds))
        self.certificateSetting = certificateSetting
        self.logger = logger
    }

    /// Sends one request and returns the response with its body still streaming.
    func send(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)], body: Body? = nil, timeout: TimeAmount? = nil
    ) async throws(LightningError) -> HTTPClientResponse {
        var request = HTTPClientRequest(url: baseURL.absoluteString.trimmingSuffix("/") + path)
        request.method = method
        request.tlsConfiguration = tls
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        switch body {
        case .json(let data)?:
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        case .form(let fields)?:
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.formEncoded(fields)))
        case nil:
            break
        }
        let deadline = timeout ?? requestTimeout
        logger.debug("Lightning node request", metadata: ["method": "\(method.rawValue)", "path": "\(path.prefix(80))"])
        do {
            return try await HTTPClient.shared.execute(request, timeout: deadline, logger: logger)
        } catch {
            throw transportError(error, deadline: deadline)
        }
    }

    /// Sends one request and reads its whole answer.
    func exchange(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)], body: Body? = nil, timeout: TimeAmount? = nil
    ) async throws(LightningError) -> Answer {
        let response = try await send(method, path, headers: headers, body: body, timeout: timeout)
        return Answer(status: Int(response.status.code), body: try await collect(response))
    }

    /// The whole body of a response, at most `maximumBodyBytes`.
    func collect(_ response: HTTPClientResponse) async throws(LightningError) -> [UInt8] {
        do {
            return Array(try await response.body.collect(upTo: Self.maximumBodyBytes).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw .malformedResponse("answer larger than \(Self.maximumBodyBytes) bytes")
        } catch {
            throw transportError(error, deadline: nil)
        }
    }

    /// A transport failure as the caller should see it: the node could not be reached, with why.
    func transportError(_ error: any Error, deadline: TimeAmount?) -> LightningError {
        if let error = error as? LightningError { return error }
        let url = baseURL.absoluteString
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            let seconds = deadline.map { " within \($0.nanoseconds / 1_000_000_000) s" } ?? ""
            return .unreachable("\(url): no answer\(seconds)")
        }
        if error is NIOSSLError || error is BoringSSLError || "\(error)".contains("handshake") {
            return .unreachable("\(url): TLS handshake failed; is \(certificateSetting) the node's certificate and the host in its names? (\(error))")
        }
        return .unreachable("\(url): \(error)")
    }

    /// The answer's JSON as `T`; `what` names the call in the error.
    static func decode<T: Decodable>(_ type: T.Type, _ answer: Answer, decoder: JSONDecoder, what: String) throws(LightningError) -> T {
        do {
            return try decoder.decode(T.self, from: Data(answer.body))
        } catch {
            throw .malformedResponse("\(what): answer is not the documented JSON: \(error)")
        }
    }

    /// A node's base URL from configuration: absolute, with a host, `https` when `requireHTTPS`.
    static func baseURL(_ text: String, setting: String, requireHTTPS: Bool) throws(LightningError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host != nil,
            scheme == "https" || (!requireHTTPS && scheme == "http")
        else {
            let wanted = requireHTTPS ? "an https:// URL" : "an http:// or https:// URL"
            throw .configuration("\(setting) must be \(wanted) with a host, got '\(text.prefix(200))'")
        }
        return url
    }

    /// `application/x-www-form-urlencoded`: only unreserved characters stay as they are.
    static func formEncoded(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return fields.map { name, value in
            "\(name.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
