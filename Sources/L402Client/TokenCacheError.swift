/// Why the token cache could not do what was asked.
public enum TokenCacheError: Error, Equatable, CustomStringConvertible {
    /// The cache directory or a cache file could not be read, written or locked.
    case io(path: String, reason: String)
    /// A cache file is not the JSON this client writes.
    case corrupt(path: String, reason: String)
    /// No cached token matches the id.
    case notFound(String)
    /// Several cached tokens start with the id given; a longer prefix is needed.
    case ambiguous(String, matches: Int)

    public var description: String {
        switch self {
        case .io(let path, let reason): "token cache: \(path): \(reason)"
        case .corrupt(let path, let reason): "token cache: \(path) is not a valid token file: \(reason)"
        case .notFound(let id): "no cached token with id \(id)"
        case .ambiguous(let id, let matches): "\(matches) cached tokens start with \(id); give more characters"
        }
    }
}
