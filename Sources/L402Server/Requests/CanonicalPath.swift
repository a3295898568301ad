/// The one canonical form of a request path, computed once per request and used for everything:
/// routing, pricing, `path_prefix` and `method` caveats, the ledger and the forwarded URL. Two
/// spellings an upstream would treat alike get one form, so no price rule or caveat can be slipped
/// past with an encoding trick.
///
/// Rules, in order:
/// - the path starts with `/`; runs of `/` collapse into one (`//bulk` is `/bulk`);
/// - `%XX` of an unreserved character (letters, digits, `-` `.` `_` `~`) is decoded (`%62ulk` is
///   `bulk`); every other `%XX` stays encoded, its hex in upper case;
/// - refused: an encoded `/` or `\`, a raw `\`, NUL and other control bytes (raw or encoded), a
///   malformed `%`, and dot segments: `.` and `..`, also encoded, also with `;parameters`
///   (`..;`, `.;x`), which Tomcat and Jetty strip before they resolve `..`;
/// - bytes outside printable ASCII, and the space, are percent-encoded (upper-case hex): the
///   forwarded request line can carry neither raw.
public enum CanonicalPath {
    /// Why a path was refused (answered 400 `bad_path`).
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The path does not start with `/`.
        case notAbsolute
        /// A `%` not followed by two hexadecimal digits.
        case malformedPercentEncoding
        /// An encoded `/` or `\`.
        case encodedSeparator
        /// A control byte, raw or encoded.
        case controlCharacter
        /// A `.` or `..` segment (or `..;`).
        case dotSegment

        public var description: String {
            switch self {
            case .notAbsolute: "the path must start with '/'"
            case .malformedPercentEncoding: "the path has a '%' not followed by two hex digits"
            case .encodedSeparator: "the path must not contain an encoded '/' or a '\\'"
            case .controlCharacter: "the path must not contain NUL or control characters"
            case .dotSegment: "the path must not contain '.' or '..' segments (also encoded or with ';' parameters)"
            }
        }
    }

    /// The canonical form of `path` (the path part of a request target, without `?query`).
    public static func canonicalize(_ path: Substring) throws(Failure) -> String {
        let bytes = path.utf8
        guard bytes.first == UInt8(ascii: "/") else { throw .notAbsolute }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var segment = SegmentCheck()
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            index = bytes.index(after: index)
            switch byte {
            case UInt8(ascii: "/"):
                try segment.end()
                if output.last != UInt8(ascii: "/") { output.append(byte) }
            case UInt8(ascii: "%"):
                guard index < bytes.endIndex, let high = hexValue(bytes[index]) else { throw .malformedPercentEncoding }
                let next = bytes.index(after: index)
                guard next < bytes.endIndex, let low = hexValue(bytes[next]) else { throw .malformedPercentEncoding }
                index = bytes.index(after: next)
                let decoded = high << 4 | low
                if decoded == UInt8(ascii: "/") || decoded == UInt8(ascii: "\\") { throw .encodedSeparator }
                if decoded < 0x20 || decoded == 0x7F { throw .controlCharacter }
                segment.add(decoded)
                if isUnreserved(decoded) {
                    output.append(decoded)
                } else {
                    output.append(contentsOf: [UInt8(ascii: "%"), hexDigit(decoded >> 4), hexDigit(decoded & 0xF)])
                }
            case UInt8(ascii: "\\"):
                throw .encodedSeparator
            case 0..<0x20, 0x7F:
                throw .controlCharacter
            case 0x80..., UInt8(ascii: " "):
                segment.add(byte)
                output.append(contentsOf: [UInt8(ascii: "%"), hexDigit(byte >> 4), hexDigit(byte & 0xF)])
            default:
                segment.add(byte)
                output.append(byte)
            }
        }
        try segment.end()
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether the segment being read, fully decoded and cut at its first `;`, is `.` or `..`.
    private struct SegmentCheck {
        /// Decoded bytes before the first `;` (only the first three matter).
        private var head: [UInt8] = []
        private var inParameters = false

        mutating func add(_ byte: UInt8) {
            if inParameters { return }
            if byte == UInt8(ascii: ";") { inParameters = true; return }
            if head.count < 3 { head.append(byte) }
        }

        mutating func end() throws(Failure) {
            defer { head.removeAll(keepingCapacity: true); inParameters = false }
            if head == [UInt8(ascii: ".")] || head == [UInt8(ascii: "."), UInt8(ascii: ".")] { throw .dotSegment }
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }
}
