import Foundation
import L402Admin
import Gateway
import Storage
import Testing

/// Files holding secrets (root keys and, with the dev node, preimages in the database; the dev node
/// key; the admin token) are 0600 and their directory 0700, whatever the process umask.
@Suite struct FilePermissionTests {
    /// The usual default umask, under which files would otherwise come out world-readable.
    private static func withUmask022<T>(_ body: () async throws -> T) async rethrows -> T {
        let previous = umask(0o022)
        defer { umask(previous) }
        return try await body()
    }

    private static func mode(_ path: String) throws -> Int {
        let permissions = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        return permissions & 0o777
    }

    /// Every entry of `directory` with its permission bits.
    private static func modes(in directory: String) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            result[name] = try mode(directory + "/" + name)
        }
        return result
    }

    @Test func aFreshGatewayDataDirectoryIsPrivate() async throws {
        try await Self.withUmask022 {
            try await GatewayHarness.with(configure: { $0.adminToken = nil }, tools: { _ in [] }) { gateway in
                // The database has been written (migrations), so SQLite has its -wal and -shm files open.
                let modes = try Self.modes(in: gateway.dataDirectory)
                for expected in ["l402.sqlite", "l402.sqlite-wal", "l402.sqlite-shm", "dev-node.key", AdminTokenFile.fileName] {
                    #expect(modes[expected] != nil, "\(expected) missing from \(modes.keys.sorted())")
                }
                for (name, mode) in modes {
                    #expect(mode == 0o600, "\(name) is \(String(mode, radix: 8))")
                }
                #expect(try Self.mode(gateway.dataDirectory) == 0o700)
            }
        }
    }

    @Test func anExistingOpenDataDirectoryAndDatabaseAreTightened() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-perm-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        // A database left by an older version, world-readable, with its WAL and shared memory.
        _ = try SQLiteStore(path: directory + "/l402.sqlite")
        for name in ["l402.sqlite", "l402.sqlite-wal", "l402.sqlite-shm"] where FileManager.default.fileExists(atPath: directory + "/" + name) {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: directory + "/" + name)
        }
        try await Self.withUmask022 {
            try await GatewayHarness.with(dataDirectory: directory, tools: { _ in [] }) { _ in
                for (name, mode) in try Self.modes(in: directory) {
                    #expect(mode == 0o600, "\(name) is \(String(mode, radix: 8))")
                }
                #expect(try Self.mode(directory) == 0o700)
            }
        }
    }

    @Test func aStoreOpenedOutsideTheGatewayIsPrivateToo() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-perm-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try await Self.withUmask022 {
            let store = try SQLiteStore(path: directory + "/cli.sqlite")
            _ = try await store.journalMode()
            let modes = try Self.modes(in: directory)
            #expect(Set(modes.keys) == ["cli.sqlite", "cli.sqlite-wal", "cli.sqlite-shm"])
            for (name, mode) in modes {
                #expect(mode == 0o600, "\(name) is \(String(mode, radix: 8))")
            }
        }
    }
}
