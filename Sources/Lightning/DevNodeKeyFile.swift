import Bolt11
import ByteEncoding
import Foundation

extension DevNode {
    /// The node key kept at `path` as 64 hex characters, created (mode 0600) on first use, so the
    /// dev node keeps its identity and its invoices stay payable across restarts.
    ///
    /// Creation is atomic: the key is written to a private temporary file and hard-linked into
    /// place, so two processes starting together end up with the same key.
    public static func loadOrCreateKey(at path: String) throws -> NodeKey {
        if let key = try readKey(at: path) { return key }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let key = NodeKey.random()
        let temporary = "\(path).\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(
            atPath: temporary, contents: Data((Hex.encode(key.privateKey) + "\n").utf8),
            attributes: [.posixPermissions: 0o600])
        else {
            throw LightningError.configuration("cannot write the dev node key file '\(temporary)'")
        }
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        do {
            try FileManager.default.linkItem(atPath: temporary, toPath: path)
            return key
        } catch {
            // Another process created it first: use theirs.
            if let existing = try readKey(at: path) { return existing }
            throw LightningError.configuration("cannot create the dev node key file '\(path)': \(error)")
        }
    }

    /// The key in the file, nil when there is no file. The content is never echoed in errors.
    private static func readKey(at path: String) throws -> NodeKey? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = try? Hex.decode(text), bytes.count == 32, let key = try? NodeKey(privateKey: bytes) else {
            throw LightningError.configuration("dev node key file '\(path)' does not hold a 32-byte secp256k1 key in hex")
        }
        return key
    }
}
