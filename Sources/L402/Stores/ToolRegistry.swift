/// The tools a gateway serves, kept in its database so they can be changed while it runs and
/// shared by every gateway on the same database. The YAML `tools` list only seeds it.
public protocol ToolRegistry: Sendable {
    /// Every registered tool, enabled or not, sorted by slug.
    func allTools() async throws -> [ToolConfiguration]
    /// The tool registered under `slug`, enabled or not.
    func tool(slug: String) async throws -> ToolConfiguration?
    /// Registers `tool`; returns false, changing nothing, when its slug is already taken.
    func addTool(_ tool: ToolConfiguration) async throws -> Bool
    /// Replaces every field of the tool registered under `tool.slug`; returns false when there is none.
    func updateTool(_ tool: ToolConfiguration) async throws -> Bool
}
