import L402
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import Storage

extension UpstreamForwarder {
    /// Forwards `request` to `tool`'s upstream at `rest` (the path and query below the slug) and
    /// builds the client's response, whose body streams from the upstream as it arrives.
    func proxy(_ request: Request, tool: ToolConfiguration, rest: String, clientAddress: String?) async
        -> Result<Response, UpstreamFailure>
    {
        let url = Self.upstreamURL(base: tool.upstream, rest: rest)
        do {
            let upstream = try await forward(request, to: url, clientAddress: clientAddress)
            let fields = ForwardedHeaders.clientResponseFields(from: upstream.headers)
            let length = upstream.headers.first(name: "content-length").flatMap { Int($0) }
            let body = ResponseBody(contentLength: request.method == .head ? nil : length) { writer in
                for try await chunk in upstream.body { try await writer.write(chunk) }
                try await writer.finish(nil)
            }
            return .success(Response(status: .init(code: Int(upstream.status.code)), headers: fields, body: body))
        } catch {
            return .failure(error)
        }
    }

    /// `<upstream>/<rest>`: the base URL's path, then the client's path below the slug and its query.
    static func upstreamURL(base: URL, rest: String) -> String {
        var prefix = base.absoluteString
        while prefix.hasSuffix("/") { prefix.removeLast() }
        if rest.isEmpty { return prefix + "/" }
        return rest.hasPrefix("?") ? prefix + "/" + rest : prefix + rest
    }
}
