/// A fragment of HTML markup. Building one by interpolation escapes every interpolated string and
/// number, and inserts only other `HTML` fragments verbatim, so operator or caller data (tool slugs,
/// descriptions, token ids) cannot turn into markup by accident.
struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup, ready to send.
    private(set) var markup: String

    init(stringLiteral literal: String) { markup = literal }

    init(stringInterpolation: Interpolation) { markup = stringInterpolation.markup }

    /// Markup that is known to be safe (the caller built it), inserted without escaping.
    init(trusted markup: String) { self.markup = markup }

    var description: String { markup }

    /// Concatenates fragments.
    init(joining parts: some Sequence<HTML>) { markup = parts.map(\.markup).joined() }

    /// Escapes `text` for element content and for single- or double-quoted attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Collects literal markup and escaped values.
    struct Interpolation: StringInterpolationProtocol {
        fileprivate var markup = ""

        init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity * 2) }

        mutating func appendLiteral(_ literal: String) { markup += literal }
        /// Text: escaped.
        mutating func appendInterpolation(_ text: String) { markup += HTML.escape(text) }
        /// A number: its decimal digits.
        mutating func appendInterpolation(_ number: some BinaryInteger) { markup += String(number) }
        /// Another fragment: verbatim.
        mutating func appendInterpolation(_ fragment: HTML) { markup += fragment.markup }
        /// Several fragments, one after the other.
        mutating func appendInterpolation(_ fragments: [HTML]) { markup += HTML(joining: fragments).markup }
    }
}
