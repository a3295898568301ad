import ByteEncoding
import Crypto
import Foundation
import L402Admin

/// The secret that opens the admin API, the metrics and the dashboard (`Authorization: Bearer <token>`).
///
/// Set in the config (`admin_token`) or `L402_ADMIN_TOKEN`; otherwise generated at first start into
/// `<data dir>/admin.token` (permissions 0600) and read from there afterwards. Only its SHA-256 is
/// kept in memory for comparisons, which are constant-time.
public struct AdminToken: Sendable {
    /// What `isAcceptable` asks of a configured token, for error messages.
    public static let requirement = "the admin token must be 32 to 256 printable ASCII characters without spaces"

    /// SHA-256 of the token: compared against, and the key of the dashboard's session cookies.
    let digest: SHA256Digest

    /// A token with the given value (which must be acceptable).
    public init(_ value: String) {
        digest = SHA256.hash(data: Array(value.utf8))
    }

    /// Whether `value` is fit to be an admin token.
    public static func isAcceptable(_ value: String) -> Bool {
        (32...256).contains(value.utf8.count) && value.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// The configured token if there is one; otherwise the token stored in `dataDirectory`,
    /// creating it (32 random bytes, hex, file mode 0600) when absent. `generatedValue` is set only
    /// when the file was just created, so the caller can show the token once.
    public static func loadOrCreate(configured: String?, dataDirectory: String) throws -> (token: AdminToken, generatedValue: String?) {
        if let configured { return (AdminToken(configured), nil) }
        let path = AdminTokenFile.path(inDataDirectory: dataDirectory)
        if let value = AdminTokenFile.storedValue(at: path) {
            guard isAcceptable(value) else { throw AdminTokenFileError(path: path) }
            return (AdminToken(value), nil)
        }
        let value = try createFile(at: path)
        return (AdminToken(value), value)
    }

    /// Whether `presented` is this token, compared in constant time (through SHA-256 digests).
    public func accepts(_ presented: String) -> Bool {
        SHA256.hash(data: Array(presented.utf8)) == digest
    }

    /// Whether an `Authorization` header value is `Bearer <this token>` (scheme case-insensitive).
    public func accepts(authorization: String?) -> Bool {
        guard let authorization else { return false }
        let trimmed = authorization.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return false }
        return accepts(trimmed.dropFirst(7).trimmingCharacters(in: .whitespaces))
    }

    /// Writes a fresh random token to `path` with mode 0600 from the start (never world-readable).
    private static func createFile(at path: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let value = Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw AdminTokenFileError(path: path, errno: errno) }
        defer { close(descriptor) }
        let bytes = Array((value + "\n").utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { throw AdminTokenFileError(path: path, errno: errno) }
        return value
    }
}

/// The admin token file exists but cannot be used, or cannot be written.
public struct AdminTokenFileError: Error, CustomStringConvertible {
    public var path: String
    public var errno: Int32?

    public init(path: String, errno: Int32? = nil) {
        self.path = path
        self.errno = errno
    }

    public var description: String {
        if let errno { return "cannot create the admin token file \(path): \(String(cString: strerror(errno)))" }
        return "the admin token file \(path) does not hold a usable token (\(AdminToken.requirement)); fix or delete it"
    }
}
