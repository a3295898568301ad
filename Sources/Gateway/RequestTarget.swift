import Foundation
import L402Server

/// A request target split the way the gateway routes it, `/<slug><path>?<query>`, with the path in
/// its one canonical form (`CanonicalPath`): routing, pricing, caveats, the ledger and the forwarded
/// URL all use it.
struct RequestTarget: Equatable {
    /// The first path segment (may be empty for `/`).
    var slug: String
    /// The canonical path below the slug, starting with `/` or empty (`/echo` has path "").
    var path: String
    /// The raw query, without `?`, if there was one.
    var query: String?

    /// What follows the slug in the upstream URL: the canonical path and the query.
    var rest: String { query.map { path + "?" + $0 } ?? path }

    /// Why a target cannot be routed.
    enum Failure: Error, Equatable {
        /// Not origin-form (`*`, an absolute URL): 400 `bad_target`.
        case notAPath
        /// The path is refused by `CanonicalPath`: 400 `bad_path`.
        case badPath(CanonicalPath.Failure)
    }

    /// Splits a raw origin-form target (`/echo/a/b?x=1`) after putting its path in canonical form.
    init(_ raw: String) throws(Failure) {
        guard raw.hasPrefix("/") else { throw .notAPath }
        let rawPath: Substring
        if let mark = raw.firstIndex(of: "?") {
            rawPath = raw[..<mark]
            query = String(raw[raw.index(after: mark)...])
        } else {
            rawPath = raw[...]
            query = nil
        }
        let canonical: String
        do { canonical = try CanonicalPath.canonicalize(rawPath) } catch { throw .badPath(error) }
        let afterSlash = canonical.dropFirst()
        let slugEnd = afterSlash.firstIndex(of: "/") ?? afterSlash.endIndex
        slug = String(afterSlash[..<slugEnd])
        path = String(afterSlash[slugEnd...])
    }
}
