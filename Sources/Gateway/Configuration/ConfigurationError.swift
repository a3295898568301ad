/// Why a config file was rejected: where (line and column, 1-based, when known), which field, and why.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// The file the error is in (or "<config>" for text not read from a file).
    public var file: String
    public var line: Int?
    public var column: Int?
    /// Dotted path of the field, e.g. `tools[1].price_sats`; empty for the document itself.
    public var field: String
    public var reason: String

    public init(file: String, line: Int?, column: Int?, field: String, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.reason = reason
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return field.isEmpty ? "\(location): \(reason)" : "\(location): \(field): \(reason)"
    }
}
