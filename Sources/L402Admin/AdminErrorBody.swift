/// The body of every admin API error: `{"error": code, "message": text}`, plus `"field"` for `invalid_field`.
public struct AdminErrorBody: Codable, Sendable {
    /// The machine-readable code (`unauthorized`, `invalid_field`, `unknown_tool`, …).
    public var error: String
    /// What went wrong, for a person.
    public var message: String
    /// The body or query field at fault (`price_sats`, `prices[0].method`, `since`).
    public var field: String?

    /// An error body with this code, message and (for `invalid_field`) field.
    public init(error: String, message: String, field: String? = nil) {
        self.error = error
        self.message = message
        self.field = field
    }
}
