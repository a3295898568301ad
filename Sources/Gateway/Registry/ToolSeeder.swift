import L402
import Logging
import Storage

/// Puts the config file's tools into the registry at startup. A tool already registered wins (admin
/// changes survive restarts); when the file says something else about it, a notice says so.
struct ToolSeeder {
    let registry: any ToolRegistry
    let logger: Logger

    /// Adds each of `tools` unless its slug is registered.
    func seed(_ tools: [ToolConfiguration]) async throws {
        for tool in tools {
            if try await registry.addTool(tool) { continue }
            if let stored = try await registry.tool(slug: tool.slug), stored != tool {
                logger.notice(
                    "tool /\(tool.slug)/ in the config differs from the registered one; serving the registered one (change it with `l402 tools update \(tool.slug)`)")
            }
        }
    }

    /// Registers the built-in demo tool at its current upstream port (which changes every run), keeping
    /// any other change made to it through the admin API.
    func seedDemo(_ tool: ToolConfiguration) async throws {
        if try await registry.addTool(tool) { return }
        guard var stored = try await registry.tool(slug: tool.slug), stored.upstream != tool.upstream else { return }
        stored.upstream = tool.upstream
        _ = try await registry.updateTool(stored)
    }
}
