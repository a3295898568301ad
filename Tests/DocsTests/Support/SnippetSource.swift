import Foundation

/// The text a ```swift block must equal: a Swift file of the repository, or one region of it.
///
/// `<!-- snippet: Examples/Macaroons.swift -->` names the whole file (minus a leading comment
/// block that says where the file is shown); `<!-- snippet: Examples/Macaroons.swift#verify -->`
/// names the lines between `// snippet:begin verify` and the next `// snippet:end`, with their
/// common indentation removed, so a region can live inside a function the build compiles.
enum SnippetSource {
    struct Problem: Error, CustomStringConvertible { var description: String }

    static func text(of reference: String, repository: URL) throws -> String {
        let parts = reference.split(separator: "#", maxSplits: 1).map(String.init)
        let url = repository.appendingPathComponent(parts[0])
        guard let source = try? String(contentsOf: url, encoding: .utf8) else {
            throw Problem(description: "snippet source \(parts[0]) cannot be read")
        }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { return trimmed(withoutHeader(lines)).joined(separator: "\n") }
        let region = parts[1]
        guard let begin = lines.firstIndex(where: { marker($0) == "snippet:begin \(region)" }) else {
            throw Problem(description: "\(parts[0]) has no `// snippet:begin \(region)` line")
        }
        guard let end = lines[(begin + 1)...].firstIndex(where: { marker($0) == "snippet:end" }) else {
            throw Problem(description: "\(parts[0]): region \(region) has no `// snippet:end` line")
        }
        return dedented(Array(lines[(begin + 1)..<end])).joined(separator: "\n")
    }

    /// The text after `//` on a comment-only line.
    private static func marker(_ line: String) -> String? {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("//") else { return nil }
        return text.dropFirst(2).trimmingCharacters(in: .whitespaces)
    }

    /// The file without its leading `//` comment lines (which say where the snippet is shown and why).
    private static func withoutHeader(_ lines: [String]) -> [String] {
        Array(lines.drop { $0.hasPrefix("//") || $0.isEmpty })
    }

    private static func trimmed(_ lines: [String]) -> [String] {
        var lines = lines
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        return lines
    }

    private static func dedented(_ lines: [String]) -> [String] {
        let indents = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { $0.prefix { $0 == " " }.count }
        let indent = indents.min() ?? 0
        return lines.map { $0.count >= indent ? String($0.dropFirst(indent)) : "" }
    }
}
