import L402
import Logging
import ServiceLifecycle
import Storage

/// Reloads the `ToolTable` from the registry every `interval`, so tools added or changed by another
/// gateway sharing the database are served here too, after at most that long.
struct ToolTableRefresher: Service {
    let registry: any ToolRegistry
    let table: ToolTable
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await refresh()
            }
        }
    }

    /// One reload; a database error keeps the current table (and is logged).
    func refresh() async {
        let generation = table.generation
        do {
            table.replace(with: try await registry.allTools(), ifUnchangedSince: generation)
        } catch {
            logger.error("could not reload the tool registry; serving the tools loaded before", metadata: ["error": "\(error)"])
        }
    }
}
