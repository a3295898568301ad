import Foundation
import Testing

/// The checker itself: a documentation test that could not fail would prove nothing.
@Suite struct DocsCheckerTests {
    @Test func blocksInsideListItemsLoseTheirIndentationAndKeepTheirDirective() throws {
        let markdown = """
            1. Step one:

               <!-- not-run: needs a real LND node -->
               ```sh
               l402 serve
                 --demo
               ```

            ```swift
            let x = 1
            ```
            """
        let blocks = try MarkdownBlocks.scan(markdown, file: "t.md")
        #expect(blocks.count == 2)
        #expect(blocks[0].language == "sh")
        #expect(blocks[0].text == "l402 serve\n  --demo")
        #expect(blocks[0].directive?.key == "not-run")
        #expect(blocks[0].directive?.value == "needs a real LND node")
        #expect(blocks[1].line == 9)
        #expect(blocks[1].directive == nil)
    }

    @Test func anUnclosedBlockIsAnError() {
        #expect(throws: MarkdownBlocks.Unclosed.self) { try MarkdownBlocks.scan("```sh\nls\n", file: "t.md") }
    }

    @Test func aRegionIsTheLinesBetweenItsMarkersDedented() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-docs-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            // Shown in docs/x.md.
            import Foundation

            func f() {
                // snippet:begin body
                let a = 1
                if a > 0 {
                    print(a)
                }
                // snippet:end
            }
            """.write(to: directory.appendingPathComponent("F.swift"), atomically: true, encoding: .utf8)
        #expect(try SnippetSource.text(of: "F.swift#body", repository: directory) == "let a = 1\nif a > 0 {\n    print(a)\n}")
        #expect(try SnippetSource.text(of: "F.swift", repository: directory).hasPrefix("import Foundation\n"))
        #expect(throws: SnippetSource.Problem.self) { try SnippetSource.text(of: "F.swift#nope", repository: directory) }
        #expect(throws: SnippetSource.Problem.self) { try SnippetSource.text(of: "Missing.swift", repository: directory) }
    }

    @Test func consoleBlocksAreCommandsWithTheirOutput() throws {
        let block = MarkdownBlock(
            file: "t.md", line: 1, language: "console",
            text: "$ echo a \\\n  b\na b\n$ true", directive: nil)
        let steps = try Transcript.steps(of: block)
        #expect(steps.map(\.command) == ["echo a \\\n  b", "true"])
        #expect(steps.map(\.expected) == [["a b"], []])
        let script = MarkdownBlock(file: "t.md", line: 1, language: "sh", text: "# comment\nls\n\n  # indented comment\npwd", directive: nil)
        #expect(try Transcript.steps(of: script).map(\.command) == ["ls", "pwd"])
        #expect(try Transcript.steps(of: script).allSatisfy { $0.expected == nil })
        let orphan = MarkdownBlock(file: "t.md", line: 1, language: "console", text: "output first\n$ ls", directive: nil)
        #expect(throws: Transcript.Problem.self) { try Transcript.steps(of: orphan) }
    }

    @Test func outputMayLeaveLinesOutButNotChangeThem() {
        var matcher = OutputMatcher()
        let output = "HTTP/1.1 402 Payment Required\r\nDate: today\r\nContent-Type: application/json\r\n\r\n{}"
        #expect(matcher.check(expected: ["HTTP/1.1 402 Payment Required", "Content-Type: application/json"], output: output) == nil)
        #expect(matcher.check(expected: ["Content-Type: application/json", "HTTP/1.1 402 Payment Required"], output: output) != nil)
        #expect(matcher.check(expected: ["HTTP/1.1 200 OK"], output: output) != nil)
        #expect(matcher.check(expected: ["HTTP/1.1 … Required"], output: output) == nil)
    }

    @Test func placeholdersAreCapturedOnceAndMustAgreeAfterwards() throws {
        var matcher = OutputMatcher()
        #expect(matcher.check(expected: [#"a="<mac>", b="<mac>""#], output: #"a="X1+/=", b="X2""#) != nil, "two values for one name")
        #expect(matcher.check(expected: [#"a="<mac>", b="<mac>""#], output: #"a="X1+/=", b="X1+/=""#) == nil)
        #expect(try matcher.resolve("curl -H 'L402 <mac>:x'") == "curl -H 'L402 X1+/=:x'")
        #expect(matcher.check(expected: ["<mac>"], output: "Y") != nil, "a remembered value must match exactly")
        #expect(matcher.check(expected: ["<mac>"], output: "X1+/=") == nil)
        #expect(throws: Transcript.Problem.self) { try matcher.resolve("l402 revoke <token-id>") }
    }
}
