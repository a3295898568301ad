import L402
import HTTPTypes
import Hummingbird
import NIOCore

/// HTML responses of the dashboard, with headers that keep the page private and inert: not cached,
/// not framed, no scripts, no requests to other origins, forms posting only back to the gateway.
enum HTMLResponse {
    /// The policy the pages are written to: inline styles and inline SVG, nothing else.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    private static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    /// A response carrying `html`.
    static func make(status: HTTPResponse.Status, _ html: HTML, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        fields[.contentSecurityPolicy] = contentSecurityPolicy
        fields[.xContentTypeOptions] = "nosniff"
        // Not `no-referrer`: under it a browser sends `Origin: null` with the logout form, which the
        // same-origin check must refuse. `same-origin` sends nothing to other origins either.
        fields[Self.referrerPolicy] = "same-origin"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html.markup)))
    }

    /// `303 See Other` to `location` (after a form post), with optional extra headers such as `Set-Cookie`.
    static func redirect(to location: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.location] = location
        fields[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: fields)
    }
}
