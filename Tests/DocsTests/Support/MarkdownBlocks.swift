import Foundation

/// One fenced code block of a Markdown file, with the HTML comment that introduces it.
///
/// The comment is the last non-blank line before the opening fence, when it is one:
/// `<!-- snippet: Examples/Client.swift -->`, `<!-- snippet: Examples/Macaroons.swift#verify -->`
/// or `<!-- not-run: why it cannot run here -->`.
struct MarkdownBlock: CustomStringConvertible {
    /// The Markdown file, relative to the repository root.
    var file: String
    /// 1-based line of the opening fence.
    var line: Int
    /// The fence's info string up to the first space (`swift`, `console`, …); empty when none.
    var language: String
    /// The lines between the fences, joined with newlines (no trailing newline).
    var text: String
    /// The introducing comment's key (`snippet`, `not-run`) and value, if there is one.
    var directive: (key: String, value: String)?

    var description: String { "\(file):\(line) (```\(language))" }
}

/// Finds the fenced code blocks of a Markdown text: a line starting with three backticks (after
/// any indentation) opens one, the next line of exactly that indentation and three backticks closes it.
enum MarkdownBlocks {
    static func scan(_ markdown: String, file: String) throws -> [MarkdownBlock] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [MarkdownBlock] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            guard line.dropFirst(indent).hasPrefix("```") else { index += 1; continue }
            let info = line.dropFirst(indent + 3).trimmingCharacters(in: .whitespaces)
            let language = info.split(separator: " ").first.map(String.init) ?? ""
            let fence = String(repeating: " ", count: indent) + "```"
            guard let close = lines[(index + 1)...].firstIndex(where: { $0 == fence }) else {
                throw Unclosed(description: "\(file):\(index + 1): code block never closed")
            }
            // A block inside a list item is indented with it: that indentation is not part of the text.
            let body = lines[(index + 1)..<close].map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }
            blocks.append(MarkdownBlock(
                file: file, line: index + 1, language: language, text: body.joined(separator: "\n"),
                directive: directive(before: index, in: lines)))
            index = close + 1
        }
        return blocks
    }

    /// The `<!-- key: value -->` comment on the last non-blank line before `fence`.
    private static func directive(before fence: Int, in lines: [String]) -> (key: String, value: String)? {
        guard let previous = lines[..<fence].lastIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
        let text = lines[previous].trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("<!--"), text.hasSuffix("-->") else { return nil }
        let body = text.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
        guard let colon = body.firstIndex(of: ":") else { return (body, "") }
        return (body[..<colon].trimmingCharacters(in: .whitespaces), body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    struct Unclosed: Error, CustomStringConvertible { var description: String }
}
