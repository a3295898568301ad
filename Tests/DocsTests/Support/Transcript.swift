import Foundation

/// One command of a shell block and the output the page shows for it.
struct TranscriptStep {
    /// The command as the reader types it (continuation lines joined with their backslashes).
    var command: String
    /// The lines shown after it; nil when the page shows none to check (```sh blocks).
    var expected: [String]?
}

/// Reads shell blocks as the test runs them.
///
/// A ```console block is a transcript: a line starting with `$ ` is a command (a line ending in
/// `\` continues it), the lines after it are its output. A ```sh or ```bash block is a script:
/// every line that is not blank or a `#` comment is a command, and its output is not checked.
/// Every command must exit 0 (write `; echo $?` to show a failure's status).
enum Transcript {
    struct Problem: Error, CustomStringConvertible { var description: String }

    static func steps(of block: MarkdownBlock) throws -> [TranscriptStep] {
        let lines = block.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let isTranscript = block.language == "console"
        var steps: [TranscriptStep] = []
        var index = 0
        while index < lines.count {
            var line = lines[index]
            index += 1
            if isTranscript {
                guard line.hasPrefix("$ ") else {
                    guard !steps.isEmpty else {
                        if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                        throw Problem(description: "\(block): output line before the first `$ ` command: \(line)")
                    }
                    steps[steps.count - 1].expected!.append(line)
                    continue
                }
                line.removeFirst(2)
            } else if line.trimmingCharacters(in: .whitespaces).isEmpty || line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                continue
            }
            var command = line
            while command.hasSuffix("\\"), index < lines.count {
                command += "\n" + lines[index]
                index += 1
            }
            steps.append(TranscriptStep(command: command, expected: isTranscript ? [] : nil))
        }
        return steps
    }
}

/// Compares a command's real output with the lines a page shows for it.
///
/// The page may leave lines out (say, the `Date` header) but never change one: each shown line
/// must equal a later output line. Within a line, `…` stands for any text, and `<name>` (lower
/// case letters, digits, `-`) for one value (no blank, quote or comma) that the test remembers:
/// later lines and later commands of the same page that say `<name>` mean exactly that value.
struct OutputMatcher {
    /// Values of the placeholders seen so far on this page.
    private(set) var values: [String: String] = [:]

    static let placeholder = try! NSRegularExpression(pattern: "<([a-z][a-z0-9-]*)>")

    /// `command` with every remembered `<name>` replaced by its value; throws on one never shown before.
    func resolve(_ command: String) throws -> String {
        var result = command
        for match in Self.placeholder.matches(in: command, range: NSRange(command.startIndex..., in: command)).reversed() {
            let name = String(command[Range(match.range(at: 1), in: command)!])
            guard let value = values[name] else {
                throw Transcript.Problem(description: "`<\(name)>` is used before any output showed it")
            }
            result.replaceSubrange(Range(match.range, in: result)!, with: value)
        }
        return result
    }

    /// Checks `expected` against `output`; returns why they differ, or nil.
    mutating func check(expected: [String], output: String) -> String? {
        // "\r\n" is one Character in Swift: make HTTP heads' line ends plain newlines before splitting.
        let actual = output.replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map { Self.normalized(String($0)) }
        var next = 0
        for line in expected.map(Self.normalized) where !line.isEmpty {
            let (regex, names) = pattern(for: line)
            guard let found = actual[next...].firstIndex(where: { regex.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }) else {
                return "no output line matches `\(line)` (after line \(next) of the output):\n\(output)"
            }
            let text = actual[found]
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))!
            for (group, name) in names { values[name] = String(text[Range(match.range(withName: group), in: text)!]) }
            next = found + 1
        }
        return nil
    }

    /// The expected line as an anchored regular expression, and the groups of placeholders it introduces.
    private func pattern(for line: String) -> (NSRegularExpression, [(group: String, name: String)]) {
        var regex = "^"
        var introduced: [(group: String, name: String)] = []
        var rest = Substring(line)
        while !rest.isEmpty {
            if rest.hasPrefix("…") {
                regex += ".+?"
                rest = rest.dropFirst()
            } else if let token = Self.leadingPlaceholder(of: String(rest)) {
                let name = String(token.dropFirst().dropLast())
                if let value = values[name] {
                    regex += NSRegularExpression.escapedPattern(for: value)
                } else if let earlier = introduced.first(where: { $0.name == name }) {
                    regex += "\\k<\(earlier.group)>"
                } else {
                    let group = "p\(introduced.count)"
                    introduced.append((group, name))
                    regex += "(?<\(group)>[^\\s\"',]+)"
                }
                rest = rest.dropFirst(token.count)
            } else {
                regex += NSRegularExpression.escapedPattern(for: String(rest.first!))
                rest = rest.dropFirst()
            }
        }
        return (try! NSRegularExpression(pattern: regex + "$"), introduced)
    }

    /// The `<name>` token `text` starts with, if it does.
    private static func leadingPlaceholder(of text: String) -> String? {
        guard let match = placeholder.firstMatch(in: text, options: .anchored, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return String(text[Range(match.range, in: text)!])
    }

    /// Without a carriage return (HTTP headers) and trailing blanks (table columns).
    private static func normalized(_ line: String) -> String {
        var line = Substring(line)
        while let last = line.last, last == "\r" || last == " " { line = line.dropLast() }
        return String(line)
    }
}
