/// The samples of a Prometheus text exposition, parsed independently of the library that wrote it.
struct PrometheusText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    private(set) var samples: [Sample] = []
    /// `# TYPE` lines: metric family name → type.
    private(set) var types: [String: String] = [:]

    init(_ text: String) throws {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            if line.hasPrefix("#") || line.isEmpty { continue }
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                throw HarnessError("not a sample line: \(line)")
            }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else {
                samples.append(Sample(name: String(series), labels: [:], value: value))
                continue
            }
            guard series.hasSuffix("}") else { throw HarnessError("unterminated labels: \(line)") }
            let labels = try Self.labels(series[series.index(after: brace)..<series.index(before: series.endIndex)])
            samples.append(Sample(name: String(series[..<brace]), labels: labels, value: value))
        }
    }

    /// The value of the sample `name` whose labels are exactly `labels`; nil when there is none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// `a="x",b="y\"z"` → ["a": "x", "b": "y\"z"].
    private static func labels(_ text: Substring) throws -> [String: String] {
        var labels: [String: String] = [:]
        var rest = text[...]
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "="), rest[rest.index(after: equals)...].first == "\"" else {
                throw HarnessError("bad label list: \(text)")
            }
            let name = String(rest[..<equals])
            var value = ""
            var index = rest.index(equals, offsetBy: 2)
            var closed = false
            while index < rest.endIndex {
                let character = rest[index]
                index = rest.index(after: index)
                if character == "\"" { closed = true; break }
                if character == "\\", index < rest.endIndex {
                    let escaped = rest[index]
                    index = rest.index(after: index)
                    value.append(escaped == "n" ? "\n" : escaped)
                } else {
                    value.append(character)
                }
            }
            guard closed else { throw HarnessError("unterminated label value: \(text)") }
            labels[name] = value
            rest = rest[index...]
            if rest.first == "," { rest = rest.dropFirst() }
        }
        return labels
    }
}
