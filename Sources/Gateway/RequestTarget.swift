import L402
import Foundation

/// A request target split the way the gateway routes it: `/<slug><rest>`.
struct RequestTarget: Equatable {
    /// The first path segment (may be empty for `/`).
    var slug: String
    /// The path below the slug, starting with `/` or empty (`/echo` has rest "").
    var path: String
    /// The raw query, without `?`, if there was one.
    var query: String?

    /// What follows the slug in the upstream URL: path and query, as the client sent them.
    var rest: String { query.map { path + "?" + $0 } ?? path }

    /// Whether the path climbs or hides segments: a `.` or `..` segment (also percent-encoded), or
    /// an encoded `/` or `\\`. Such a path could leave the tool's base path upstream, or slip past
    /// a `path_prefix` caveat or price rule, so the gateway refuses it instead of forwarding it.
    var hasAmbiguousSegments: Bool {
        for segment in (slug + path).split(separator: "/", omittingEmptySubsequences: false) {
            let decoded = segment.removingPercentEncoding ?? String(segment)
            if decoded == "." || decoded == ".." || decoded.contains("/") || decoded.contains("\\") { return true }
        }
        return false
    }

    /// Splits a raw origin-form target (`/echo/a/b?x=1`). nil for other forms (`*`, absolute URLs).
    init?(_ raw: String) {
        guard raw.hasPrefix("/") else { return nil }
        let pathPart: Substring
        if let mark = raw.firstIndex(of: "?") {
            pathPart = raw[..<mark]
            query = String(raw[raw.index(after: mark)...])
        } else {
            pathPart = raw[...]
            query = nil
        }
        let afterSlash = pathPart.dropFirst()
        let slugEnd = afterSlash.firstIndex(of: "/") ?? afterSlash.endIndex
        slug = String(afterSlash[..<slugEnd])
        path = String(afterSlash[slugEnd...])
    }
}
