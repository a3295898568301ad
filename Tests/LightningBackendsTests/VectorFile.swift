import Foundation

/// A published test-vector file kept beside these tests in `Vectors/` (sources in Vectors/README.md).
enum VectorFile {
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/\(name)"))
    }
}
