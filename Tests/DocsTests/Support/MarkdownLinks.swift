import Foundation

/// The relative links of a Markdown page (`[text](docs/gateway.md#free-calls)`) and the anchors
/// its headings get on GitHub, so a renamed page or heading breaks a test instead of a link.
enum MarkdownLinks {
    /// Link targets outside code blocks that are neither absolute URLs nor e-mail addresses.
    static func relativeTargets(in markdown: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"\]\(([^)\s]+)\)"#)
        return prose(of: markdown).flatMap { line in
            regex.matches(in: line, range: NSRange(line.startIndex..., in: line)).map { String(line[Range($0.range(at: 1), in: line)!]) }
        }.filter { !$0.contains("://") && !$0.hasPrefix("mailto:") }
    }

    /// `target` (relative to `page`'s directory) as a path from the repository root.
    static func resolve(_ target: String, from page: String) -> String {
        let base = URL(fileURLWithPath: "/" + page).deletingLastPathComponent()
        return String(base.appendingPathComponent(target).standardized.path.dropFirst())
    }

    /// GitHub's anchor of each heading: lower case, punctuation other than `-` and `_` dropped, spaces as `-`.
    static func anchors(in markdown: String) -> Set<String> {
        Set(prose(of: markdown).filter { $0.hasPrefix("#") }.map { heading in
            let title = heading.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
            return String(title.unicodeScalars.compactMap { scalar -> Character? in
                if scalar == " " { return "-" }
                if scalar == "-" || scalar == "_" || CharacterSet.alphanumerics.contains(scalar) { return Character(scalar) }
                return nil
            })
        })
    }

    /// The lines outside fenced code blocks.
    private static func prose(of markdown: String) -> [String] {
        var inCode = false
        return markdown.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { inCode.toggle(); return nil }
            return inCode ? nil : String(line)
        }
    }
}
