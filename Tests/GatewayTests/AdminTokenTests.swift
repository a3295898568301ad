import Foundation
import L402Admin
import Gateway
import Testing

@Suite struct AdminTokenTests {
    private func freshDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("l402-admin-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func generatesAPrivateFileOnceAndReadsItBack() throws {
        let directory = try freshDirectory()
        let first = try AdminToken.loadOrCreate(configured: nil, dataDirectory: directory)
        let value = try #require(first.generatedValue)
        #expect(value.count == 64 && value.allSatisfy(\.isHexDigit))
        let path = directory + "/" + AdminTokenFile.fileName
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(first.token.accepts(value))

        let second = try AdminToken.loadOrCreate(configured: nil, dataDirectory: directory)
        #expect(second.generatedValue == nil)
        #expect(second.token.accepts(value))
        #expect(!second.token.accepts(String(value.dropLast()) + (value.hasSuffix("0") ? "1" : "0")))
    }

    @Test func aConfiguredTokenWinsAndWritesNoFile() throws {
        let directory = try freshDirectory()
        let configured = String(repeating: "z", count: 32)
        let loaded = try AdminToken.loadOrCreate(configured: configured, dataDirectory: directory)
        #expect(loaded.generatedValue == nil && loaded.token.accepts(configured))
        #expect(!FileManager.default.fileExists(atPath: directory + "/" + AdminTokenFile.fileName))
    }

    @Test func readsOnlyBearerCredentials() {
        let value = String(repeating: "a1", count: 20)
        let token = AdminToken(value)
        #expect(token.accepts(authorization: "Bearer \(value)"))
        #expect(token.accepts(authorization: "bearer  \(value) "))
        for refused in [nil, "", "Bearer", "Bearer ", "Basic \(value)", "L402 \(value)", "Bearer \(value)x", value] {
            #expect(!token.accepts(authorization: refused), "\(refused ?? "nil")")
        }
    }

    @Test func aDamagedTokenFileIsAnErrorNotANewToken() throws {
        let directory = try freshDirectory()
        try Data("short\n".utf8).write(to: URL(fileURLWithPath: directory + "/" + AdminTokenFile.fileName))
        #expect(throws: AdminTokenFileError.self) { try AdminToken.loadOrCreate(configured: nil, dataDirectory: directory) }
    }
}
