import L402
import Foundation
import Hummingbird
import Storage
import L402Admin

/// The ledger routes: the invocation list (newest first, paginated) and usage per tool per day.
extension AdminAPI {
    /// The most rows one `GET invocations` returns.
    static let maxPageSize = 1000

    func invocations(query: AdminQuery) async throws -> Response {
        let limit = try query.integer("limit", in: 1...Self.maxPageSize, default: 100)
        let offset = try query.integer("offset", in: 0...Int(Int32.max), default: 0)
        let (tool, since, until) = try filters(query)
        // One row more than asked tells whether another page follows.
        let rows = try await ledger.invocations(tool: tool, since: since, until: until, limit: limit + 1, offset: offset)
        let page = AdminInvocationPage(
            invocations: rows.prefix(limit).map(AdminInvocation.init), nextOffset: rows.count > limit ? offset + limit : nil)
        return JSONResponse.make(status: .ok, page)
    }

    func usage(query: AdminQuery) async throws -> Response {
        let (tool, since, until) = try filters(query)
        let days = try await ledger.dailyUsage(tool: tool, since: since, until: until)
        return JSONResponse.make(status: .ok, AdminUsageReport(days))
    }

    private func filters(_ query: AdminQuery) throws(AdminFailure) -> (tool: String?, since: Date?, until: Date?) {
        let since = try query.date("since"), until = try query.date("until", dayEnds: true)
        if let since, let until, until <= since { throw .invalidField("until", "must be after `since`") }
        return (try query.string("tool"), since, until)
    }
}
