/// One metric family in the Prometheus text format (version 0.0.4), for the series the gateway
/// writes itself rather than through a collector registry (values read at scrape time).
struct ExpositionFamily {
    enum Kind: String {
        case counter, gauge
    }

    var name: String
    var kind: Kind
    var help: String
    var samples: [(labels: [(String, String)], value: Double)]

    /// A family of one sample.
    init(_ name: String, _ kind: Kind, help: String, labels: [(String, String)] = [], value: Double) {
        self.name = name
        self.kind = kind
        self.help = help
        self.samples = [(labels, value)]
    }

    /// `# HELP`, `# TYPE` and the sample lines.
    var text: String {
        var lines = ["# HELP \(name) \(help)", "# TYPE \(name) \(kind.rawValue)"]
        for sample in samples {
            let labels = sample.labels.map { "\($0)=\"\(Self.escape($1))\"" }.joined(separator: ",")
            lines.append("\(name)\(labels.isEmpty ? "" : "{\(labels)}") \(Self.format(sample.value))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Label values escape backslash, double quote and newline.
    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Whole numbers without a fraction (as Prometheus' own clients write them).
    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
