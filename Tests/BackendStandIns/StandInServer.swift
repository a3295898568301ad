import Foundation
import LNDStandInSupport
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import TestSupport

/// One request to a stand-in, read whole.
public struct StandInRequest: Sendable {
    public var method: HTTPMethod
    /// The path without the query.
    public var path: String
    /// The query's parameters, percent-decoded.
    public var query: [String: String]
    public var headers: HTTPHeaders
    public var body: [UInt8]

    /// The body's JSON object, or nil when it is not one.
    public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }

    /// The body as `application/x-www-form-urlencoded` parameters.
    public var form: [String: String] { Self.parameters(String(decoding: body, as: UTF8.self)) }

    static func parameters(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ") }
            result[parts[0].removingPercentEncoding ?? parts[0]] = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
        }
        return result
    }
}

/// What a stand-in answers.
public enum StandInReply: @unchecked Sendable {  // JSON bodies are built and written on one event loop
    case json(status: Int, body: Any)
    case text(status: Int, body: String)
    /// No answer at all: the connection stays open (a node still working, or hung).
    case silent

    func write(to writer: HTTPResponseWriter) {
        switch self {
        case .json(let status, let object):
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
            writer.writeWhole(status: HTTPResponseStatus(statusCode: status), headers: ["Content-Type": "application/json"], body: Array(data))
        case .text(let status, let text):
            writer.writeWhole(status: HTTPResponseStatus(statusCode: status), headers: ["Content-Type": "text/plain; charset=UTF-8"], body: Array(text.utf8))
        case .silent:
            break
        }
    }
}

/// The HTTP(S) listener of the phoenixd, Core Lightning and LNbits stand-ins, on 127.0.0.1 and an
/// ephemeral port; HTTPS with a fresh self-signed certificate when `tls` is true.
public final class StandInServer: Sendable {
    public let port: Int
    public let certificate: SelfSignedCertificate?
    private let channel: any Channel

    private init(port: Int, certificate: SelfSignedCertificate?, channel: any Channel) {
        self.port = port
        self.certificate = certificate
        self.channel = channel
    }

    public var url: String { "\(certificate == nil ? "http" : "https")://127.0.0.1:\(port)" }

    public static func start(tls: Bool, _ handler: @escaping @Sendable (StandInRequest) -> StandInReply) async throws -> StandInServer {
        let certificate = tls ? try SelfSignedCertificate.generate() : nil
        let context = try certificate.map { certificate in
            try NIOSSLContext(configuration: TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate.certificatePath).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: certificate.keyPath, format: .pem))))
        }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(CollectingHTTPHandler { request, writer in
                        let parts = request.head.uri.split(separator: "?", maxSplits: 1).map(String.init)
                        let standInRequest = StandInRequest(
                            method: request.head.method, path: parts.first ?? "/",
                            query: parts.count > 1 ? StandInRequest.parameters(parts[1]) : [:], headers: request.head.headers, body: request.body)
                        handler(standInRequest).write(to: writer)
                    })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return StandInServer(port: channel.localAddress?.port ?? 0, certificate: certificate, channel: channel)
    }

    public func stop() async throws {
        try await channel.close()
        certificate?.remove()
    }
}
