import Foundation
import Gateway
import Testing
import Yams

/// Every code block of README.md and docs/*.md is compiled, run or loaded by this suite, so the
/// documentation cannot drift from the code (docs/testing.md, "Documentation snippets").
@Suite struct DocsSnippetTests {
    @Test func thePagesAreFound() {
        #expect(DocsPages.all.contains("README.md"))
        #expect(DocsPages.all.contains("docs/gateway.md"), "\(DocsPages.all)")
    }

    /// A block is checked by kind: ```swift against its source file, ```yaml by the gateway's
    /// config loader, ```console/sh/bash by running it. `<!-- not-run: reason -->` exempts a
    /// shell or YAML block that cannot run here; ```text and ```http show output or a format; ```json
    /// is parsed as JSON.
    @Test(arguments: DocsPages.all) func everyBlockHasAKnownKind(page: String) throws {
        for block in try DocsPages.blocks(of: page) {
            let known = ["swift", "yaml"] + DocsPages.shellLanguages + DocsPages.shownLanguages + DocsPages.jsonLanguages
            #expect(known.contains(block.language), "\(block): say which kind of block this is (one of \(known.sorted()))")
            if let directive = block.directive {
                #expect(["snippet", "not-run"].contains(directive.key), "\(block): unknown directive `\(directive.key)`")
                #expect(!directive.value.isEmpty, "\(block): `\(directive.key)` needs a value (a file, or why it cannot run)")
                if directive.key == "not-run" {
                    #expect(block.language != "swift", "\(block): Swift blocks are always compiled; name their source")
                }
            }
        }
    }

    /// Links between pages point at files that exist and at headings they have.
    @Test(arguments: DocsPages.all) func relativeLinksResolve(page: String) throws {
        let text = try String(contentsOf: DocsPages.repository.appendingPathComponent(page), encoding: .utf8)
        for target in MarkdownLinks.relativeTargets(in: text) {
            let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let file = parts[0].isEmpty ? page : MarkdownLinks.resolve(parts[0], from: page)
            if DocsPages.pagesOnTheirWay.contains(file) && !FileManager.default.fileExists(atPath: DocsPages.repository.appendingPathComponent(file).path) {
                continue
            }
            guard let linked = try? String(contentsOf: DocsPages.repository.appendingPathComponent(file), encoding: .utf8) else {
                Issue.record("\(page): link to \(target): no file \(file)")
                continue
            }
            if parts.count == 2, file.hasSuffix(".md") {
                #expect(MarkdownLinks.anchors(in: linked).contains(parts[1]), "\(page): link to \(target): \(file) has no such heading")
            }
        }
    }

    @Test(arguments: DocsPages.all) func swiftBlocksEqualTheirSources(page: String) throws {
        for block in try DocsPages.blocks(of: page) where block.language == "swift" {
            guard let directive = block.directive, directive.key == "snippet" else {
                Issue.record("\(block): a Swift block needs `<!-- snippet: Examples/Snippets/File.swift#region -->` above it")
                continue
            }
            let source = try SnippetSource.text(of: directive.value, repository: DocsPages.repository)
            #expect(block.text == source, "\(block) differs from \(directive.value):\n--- page\n\(block.text)\n--- source\n\(source)")
        }
    }

    @Test(arguments: DocsPages.all) func yamlBlocksAreGatewayConfigurations(page: String) throws {
        for block in try DocsPages.blocks(of: page) where block.language == "yaml" {
            if block.directive?.key == "not-run" {
                #expect(throws: Never.self, "\(block) is not even YAML") { try Yams.compose(yaml: block.text) }
                continue
            }
            do {
                _ = try ConfigurationLoader.parse(block.text, file: block.description)
            } catch {
                Issue.record("\(block) is not a valid gateway configuration: \(error)")
            }
        }
    }

    /// JSON examples must at least be JSON (an elided value is written `"…"`, a string), so they cannot
    /// drift into something no parser reads.
    @Test(arguments: DocsPages.all) func jsonBlocksParse(page: String) throws {
        for block in try DocsPages.blocks(of: page) where DocsPages.jsonLanguages.contains(block.language) {
            #expect(block.directive == nil, "\(block): a JSON block is only parsed, never run: no directive")
            do {
                _ = try JSONSerialization.jsonObject(with: Data(block.text.utf8))
            } catch {
                Issue.record("\(block) is not JSON: \(error)")
            }
        }
    }

    /// The page's shell blocks, top to bottom, in one shell beside a fresh demo gateway.
    @Test(.serialized, arguments: DocsPages.all) func shellBlocksRunAsShown(page: String) async throws {
        let blocks = try DocsPages.blocks(of: page).filter {
            DocsPages.shellLanguages.contains($0.language) && $0.directive?.key != "not-run"
        }
        guard !blocks.isEmpty else { return }
        let terminal = try await ReaderTerminal()
        var stopped: (any Error)?
        for block in blocks {
            do {
                for problem in try await terminal.follow(block) { Issue.record(Comment(rawValue: problem)) }
            } catch {
                stopped = error  // a command that hung or a placeholder never shown: the rest of the page cannot follow
                break
            }
        }
        #expect(try await terminal.close() == 0, "the gateway exits cleanly on SIGTERM")
        if let stopped { throw stopped }
    }
}
