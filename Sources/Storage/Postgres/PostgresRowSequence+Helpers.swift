import L402
import PostgresNIO

extension PostgresRowSequence {
    /// Whether the statement returned at least one row (`… RETURNING 1` reports "a row changed"). Drains the rest.
    func hasRows() async throws -> Bool {
        var found = false
        for try await _ in self { found = true }
        return found
    }

    /// Reads the statement's result to its end (a statement run for its effect).
    func drain() async throws {
        for try await _ in self {}
    }

    /// The first column of the first row; nil when there is none (e.g. `… RETURNING` that changed nothing).
    func firstValue<Value: PostgresDecodable & Sendable>(_ type: Value.Type) async throws -> Value? {
        var value: Value?
        for try await decoded in decode(Value.self) where value == nil { value = decoded }
        return value
    }

    /// The first column of the only row, e.g. `SELECT count(*)`.
    func single<Value: PostgresDecodable & Sendable>(_ type: Value.Type) async throws -> Value {
        var value: Value?
        for try await decoded in decode(Value.self) where value == nil { value = decoded }
        guard let value else { throw StorageError.corruptRow("expected one row, got none") }
        return value
    }
}
