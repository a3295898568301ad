import Foundation

/// Where a gateway keeps the admin token it generated: `<data dir>/admin.token` (mode 0600). The
/// gateway creates and reads it; the admin CLI reads it to call the gateway.
public enum AdminTokenFile {
    /// The file name of a generated token inside the data directory.
    public static let fileName = "admin.token"

    /// Where a generated token is kept in `dataDirectory`.
    public static func path(inDataDirectory dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent(fileName).path
    }

    /// The token in the file at `path` without surrounding whitespace; nil when there is no such file.
    public static func storedValue(at path: String) -> String? {
        FileManager.default.contents(atPath: path).map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
