import Foundation

/// The SQLite files hold every root key (and, with the dev node, every preimage): owner-only (0600),
/// whatever the process umask.
///
/// Why this way and not a umask around the open: the umask is process-wide, so narrowing it would race
/// every other thread creating files, and SQLite creates `-wal` and `-shm` later, on whichever
/// connection first needs them, long after any scoped umask is restored. Instead the database file is
/// created 0600 before SQLite opens it: SQLite's unix VFS gives the `-wal`, `-journal` and `-shm` files it
/// creates the main file's permission bits (fchmod-ing them past the umask), so one mode on the main file
/// covers all of them for good. Files left world-readable by older versions are tightened here.
enum PrivateDatabaseFiles {
    /// The owner-only mode of every database file.
    static let mode: mode_t = 0o600

    /// Creates the database file at `path` (0600) if absent, and tightens it and its companions if present.
    static func prepare(_ path: String) throws {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw PrivateDatabaseFileError(path: path, errno: errno) }
        defer { close(descriptor) }
        try tighten(descriptor: descriptor, path: path)
        for suffix in ["-wal", "-shm", "-journal"] {
            let companion = path + suffix
            let descriptor = open(companion, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            if descriptor < 0 {
                if errno == ENOENT { continue }
                throw PrivateDatabaseFileError(path: companion, errno: errno)
            }
            defer { close(descriptor) }
            try tighten(descriptor: descriptor, path: companion)
        }
    }

    private static func tighten(descriptor: CInt, path: String) throws {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw PrivateDatabaseFileError(path: path, errno: errno) }
        if status.st_mode & 0o077 != 0, fchmod(descriptor, mode) != 0 {
            throw PrivateDatabaseFileError(path: path, errno: errno)
        }
    }
}

/// A database file could not be created or made owner-only.
public struct PrivateDatabaseFileError: Error, CustomStringConvertible {
    /// The file concerned.
    public var path: String
    /// The system's error number.
    public var errno: Int32

    public var description: String {
        "cannot make the database file \(path) private (mode 0600): \(String(cString: strerror(errno)))"
    }
}
