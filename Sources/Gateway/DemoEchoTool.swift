import L402
import Foundation
import Hummingbird
import NIOCore
import Storage

/// The built-in demo upstream of `l402 serve --demo`: answers every request with a JSON echo of
/// what it received, so the whole pay-per-call dance works with nothing but curl.
public struct DemoEchoTool: HTTPResponder {
    public typealias Context = BasicRequestContext

    /// The slug and price the demo tool is served under.
    public static let slug = "echo"
    public static let priceSats: UInt64 = 5

    public init() {}

    public func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        let echo: [String: String] = [
            "message": "Paid call received. This is the demo echo tool behind the L402 gateway.",
            "method": request.method.rawValue,
            "path": request.head.path ?? "/",
            "body": String(buffer: body),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(echo)
        data.append(0x0A)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The tool entry for an echo upstream listening on `port`.
    static func tool(port: Int) -> ToolConfiguration {
        ToolConfiguration(
            slug: slug, upstream: URL(string: "http://127.0.0.1:\(port)")!, priceSats: priceSats,
            description: "demo echo tool (built in)")
    }
}
