import Foundation
import HTTPTypes
import Hummingbird

/// Whether a state-changing form post comes from a page of the listener it was sent to.
///
/// The browser names the page's origin in `Origin` (or, failing that, `Referer`); the listener's own
/// origin is the `Host` the browser sent the request to. A tool on the public listener
/// (`127.0.0.1:8402`) posting to the operator listener (`127.0.0.1:8403`) differs in the port and is
/// refused. The scheme is not compared, so a TLS-terminating proxy that keeps `Host` still works.
enum SameOriginCheck {
    private static let referer = HTTPField.Name("Referer")!

    static func isSameOrigin(_ request: Request) -> Bool {
        guard let authority = request.head.authority?.lowercased(), !authority.isEmpty else { return false }
        let claimed = request.headers[.origin] ?? request.headers[Self.referer]
        guard let claimed, let origin = Self.authority(ofURL: claimed) else { return false }
        return origin == authority
    }

    /// `host[:port]` of an http(s) URL, lowercased; nil for anything else (including `null`).
    static func authority(ofURL text: String) -> String? {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else { return nil }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return (bracketed + (url.port.map { ":\($0)" } ?? "")).lowercased()
    }
}
