import Foundation

/// Rows printed as aligned columns under a header, for the human-readable output of admin commands.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: [String]) { self.header = header }

    init(_ header: String...) { self.init(header) }

    mutating func add(_ cells: [String]) { rows.append(cells) }

    mutating func add(_ cells: String...) { add(cells) }

    /// The table as text, columns separated by two spaces, the last column not padded.
    var text: String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
