import L402
import Storage
import Synchronization

/// The tools the request path serves, held in memory so routing a request never waits for the
/// database. The admin API puts its changes here at once; `ToolTableRefresher` reloads the whole
/// table from the registry every few seconds, so changes made by another gateway on the same
/// database show up here within that interval.
final class ToolTable: Sendable {
    private struct State {
        var tools: [String: ToolConfiguration] = [:]
        /// Counts local changes, so a reload read before a change cannot overwrite it.
        var generation = 0
    }

    private let state = Mutex(State())
    /// Told about the tools each put or reload brings (e.g. so their metrics start at zero).
    private let onChange: @Sendable ([ToolConfiguration]) -> Void

    init(_ tools: [ToolConfiguration] = [], onChange: @escaping @Sendable ([ToolConfiguration]) -> Void = { _ in }) {
        self.onChange = onChange
        replace(with: tools, ifUnchangedSince: generation)
    }

    /// The tool served under `slug`, enabled or not.
    func tool(slug: String) -> ToolConfiguration? {
        state.withLock { $0.tools[slug] }
    }

    /// Every tool, sorted by slug.
    var all: [ToolConfiguration] {
        state.withLock { $0.tools.values.sorted { $0.slug < $1.slug } }
    }

    /// Where the table stands now; pass it to `replace` after reading the registry.
    var generation: Int { state.withLock { $0.generation } }

    /// Adds or replaces one tool (a change this process just wrote to the registry).
    func put(_ tool: ToolConfiguration) {
        state.withLock {
            $0.tools[tool.slug] = tool
            $0.generation += 1
        }
        onChange([tool])
    }

    /// Replaces the whole table with `tools` read from the registry, unless a local change happened
    /// since `generation` (the read may predate it; the next reload will include it). Returns
    /// whether the table was replaced.
    @discardableResult
    func replace(with tools: [ToolConfiguration], ifUnchangedSince generation: Int) -> Bool {
        let replaced = state.withLock {
            guard $0.generation == generation else { return false }
            $0.tools = Dictionary(tools.map { ($0.slug, $0) }, uniquingKeysWith: { _, last in last })
            return true
        }
        if replaced { onChange(tools) }
        return replaced
    }
}
