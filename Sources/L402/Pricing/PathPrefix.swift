/// Whole-segment path prefixes: the one rule price rules and `path_prefix` caveats share.
public enum PathPrefix {
    /// Whether `path` is `prefix` or lies below it: `/bulk` covers `/bulk` and `/bulk/x`, not
    /// `/bulkx`; a prefix ending in `/` covers what continues after it. Compared byte for byte
    /// (no Unicode equivalence), on paths already in canonical form.
    public static func covers(_ prefix: String, path: String) -> Bool {
        let path = path.utf8, prefix = prefix.utf8
        guard path.starts(with: prefix) else { return false }
        if path.count == prefix.count || prefix.last == UInt8(ascii: "/") { return true }
        return path[path.index(path.startIndex, offsetBy: prefix.count)] == UInt8(ascii: "/")
    }
}
