import Foundation

/// The Markdown pages whose code blocks the tests check: README.md and docs/*.md.
enum DocsPages {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Paths relative to the repository root.
    static let all: [String] = {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("docs").path)) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }()

    static func blocks(of page: String) throws -> [MarkdownBlock] {
        let text = try String(contentsOf: repository.appendingPathComponent(page), encoding: .utf8)
        return try MarkdownBlocks.scan(text, file: page)
    }

    /// Pages another branch is writing (`harden`), which its pages may link to before they all arrive.
    static let pagesOnTheirWay: Set = ["docs/security.md", "docs/fuzzing.md"]

    /// Languages of shell blocks, which are run.
    static let shellLanguages: Set = ["console", "sh", "bash"]
    /// Languages whose blocks are examples of output or formats, shown but not run.
    static let shownLanguages: Set = ["text", "http"]
    /// JSON examples (bodies, messages, client configuration): not run, but each must parse as JSON.
    static let jsonLanguages: Set = ["json"]
}
