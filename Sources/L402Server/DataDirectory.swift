import Foundation

/// A data directory holds the database, the dev node key and the admin token: it is owner-only
/// (0700), created so, and tightened if it already exists with wider permissions.
public enum DataDirectory {
    /// Creates `path` (and missing parents) with mode 0700, or narrows an existing directory to 0700.
    /// A shared directory (sticky bit, like /tmp) is left alone: it is not the gateway's to narrow.
    public static func prepare(_ path: String) throws {
        try createIfMissing(path)
        let mode = try permissions(path)
        if mode & 0o077 != 0, mode & Int(S_ISVTX) == 0 {
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        }
    }

    /// Creates `path` (and missing parents) with mode 0700 if it does not exist; an existing directory
    /// is not changed (the database file itself is private, wherever the operator puts it).
    public static func createIfMissing(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    private static func permissions(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
    }
}
