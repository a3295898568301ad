/// Errors of the stores themselves (the database's own errors are passed through).
public enum StorageError: Error, Equatable, CustomStringConvertible {
    /// A number does not fit the database's 64-bit signed integers.
    case valueOutOfRange(String)
    /// A stored row does not have the shape this version expects.
    case corruptRow(String)

    public var description: String {
        switch self {
        case .valueOutOfRange(let what): "\(what) does not fit in a 64-bit signed integer"
        case .corruptRow(let what): "stored row is malformed: \(what)"
        }
    }
}

extension UInt64 {
    func databaseInteger(_ what: String) throws -> Int64 {
        guard let value = Int64(exactly: self) else { throw StorageError.valueOutOfRange(what) }
        return value
    }
}
