import L402
import Hummingbird
import Storage
import L402Admin

/// The registry routes: list, add, replace, patch, disable and enable tools. Every change is written
/// to the registry first, then put into this gateway's live table (served from the next request on).
extension AdminAPI {
    func listTools() async throws -> Response {
        JSONResponse.make(status: .ok, AdminToolList(tools: try await registry.allTools().map(AdminTool.init)))
    }

    func addTool(_ request: Request) async throws -> Response {
        let tool = try ToolReader.tool(JSONField(value: try await body(of: request), path: ""))
        guard try await registry.addTool(tool) else { throw AdminFailure.toolExists(tool.slug) }
        table.put(tool)
        logger.notice("admin: tool /\(tool.slug)/ added")
        return JSONResponse.make(status: .created, AdminTool(tool))
    }

    /// PUT: the body is the whole tool (omitted optional fields take their defaults).
    func replaceTool(_ slug: String, _ request: Request) async throws -> Response {
        guard case .object(var fields) = try await body(of: request) else {
            throw AdminFailure.invalidField("body", "expected a JSON object with the tool's fields")
        }
        _ = try await storedTool(slug)
        fields["slug"] = try pathSlug(slug, body: fields["slug"])
        return try await update(try ToolReader.tool(JSONField(value: .object(fields), path: "")))
    }

    /// PATCH (JSON merge patch, RFC 7396): the body's fields replace the stored ones; `null` resets a field.
    func patchTool(_ slug: String, _ request: Request) async throws -> Response {
        guard case .object(let changes) = try await body(of: request) else {
            throw AdminFailure.invalidField("body", "expected a JSON object with the fields to change")
        }
        guard case .object(var fields) = AdminTool(try await storedTool(slug)).jsonValue else { throw AdminFailure.unknownTool(slug) }
        for (key, value) in changes {
            if value == .null { fields[key] = nil } else { fields[key] = value }
        }
        fields["slug"] = try pathSlug(slug, body: changes["slug"])
        return try await update(try ToolReader.tool(JSONField(value: .object(fields), path: "")))
    }

    func setEnabled(_ slug: String, _ enabled: Bool) async throws -> Response {
        var tool = try await storedTool(slug)
        tool.enabled = enabled
        return try await update(tool)
    }

    /// The registered tool under `slug`, or 404.
    func storedTool(_ slug: String) async throws -> ToolConfiguration {
        guard let tool = try await registry.tool(slug: slug) else { throw AdminFailure.unknownTool(slug) }
        return tool
    }

    private func update(_ tool: ToolConfiguration) async throws -> Response {
        guard try await registry.updateTool(tool) else { throw AdminFailure.unknownTool(tool.slug) }
        table.put(tool)
        logger.notice("admin: tool /\(tool.slug)/ updated\(tool.enabled ? "" : " (disabled)")")
        return JSONResponse.make(status: .ok, AdminTool(tool))
    }

    /// A tool's slug is its identity: a body may repeat it but not change it.
    private func pathSlug(_ slug: String, body: JSONValue?) throws(AdminFailure) -> JSONValue {
        if let body, body != .null, body != .string(slug) {
            throw .invalidField("slug", "does not match the URL's '\(slug)'; a tool cannot be renamed")
        }
        return .string(slug)
    }
}
