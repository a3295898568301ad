import Foundation
import Hummingbird
import NIOCore

/// A real upstream tool for the tests: answers every request with what it received, as JSON.
/// A path ending in `/status/<code>` answers with that status; `/count` reports the calls seen so far.
struct EchoUpstream: HTTPResponder {
    typealias Context = BasicRequestContext

    struct Echo: Codable {
        var method: String
        var path: String
        var headers: [String: String]
        var bodyBytes: Int
        var bodySHA: String?
    }

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let path = request.head.path ?? "/"
        if let marker = path.range(of: "/status/"), let code = Int(path[marker.upperBound...]) {
            return Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: "status \(code)")))
        }
        var bytes = 0
        for try await chunk in request.body { bytes += chunk.readableBytes }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName, default: ""] += (headers[field.name.canonicalName] == nil ? "" : ", ") + field.value }
        let echo = Echo(method: request.method.rawValue, path: path, headers: headers, bodyBytes: bytes, bodySHA: nil)
        let data = try JSONEncoder().encode(echo)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
