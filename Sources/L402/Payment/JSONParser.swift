/// Why bytes are not the JSON the `Payment` scheme accepts.
public enum JSONParseError: Error, Equatable, CustomStringConvertible {
    /// The input is not UTF-8.
    case notUTF8
    /// The input ends inside a value.
    case unexpectedEnd
    /// A byte that cannot stand here, at this offset.
    case unexpectedByte(UInt8, offset: Int)
    /// A string escape that JSON does not define, at this offset.
    case invalidEscape(offset: Int)
    /// A UTF-16 surrogate escape without its pair, at this offset.
    case loneSurrogate(offset: Int)
    /// An unescaped control character in a string, at this offset.
    case controlCharacterInString(offset: Int)
    /// A number JSON does not allow, at this offset.
    case invalidNumber(offset: Int)
    /// A number too large for a double, at this offset.
    case numberOutOfRange(offset: Int)
    /// An object names this member twice.
    case duplicateMember(String)
    /// Values nest deeper than this limit.
    case tooDeep(limit: Int)
    /// Bytes after the value, from this offset.
    case trailingBytes(offset: Int)

    public var description: String {
        switch self {
        case .notUTF8: "JSON text is not valid UTF-8"
        case .unexpectedEnd: "JSON text ends early"
        case .unexpectedByte(let b, let offset): "unexpected byte 0x\(String(b, radix: 16)) at offset \(offset)"
        case .invalidEscape(let offset): "invalid escape sequence at offset \(offset)"
        case .loneSurrogate(let offset): "\\u escape at offset \(offset) is half a surrogate pair"
        case .controlCharacterInString(let offset): "unescaped control character in a string at offset \(offset)"
        case .invalidNumber(let offset): "malformed number at offset \(offset)"
        case .numberOutOfRange(let offset): "number at offset \(offset) is beyond the range of a double"
        case .duplicateMember(let name): "object has the member \(name.debugDescription) twice"
        case .tooDeep(let limit): "JSON nests deeper than \(limit) levels"
        case .trailingBytes(let offset): "bytes after the JSON value at offset \(offset)"
        }
    }
}

extension JSONValue {
    /// Deepest nesting accepted: bounds the recursion on hostile input.
    public static let maximumDepth = 32

    /// Parses RFC 8259 JSON strictly: one value, UTF-8, no duplicate member names, no lone
    /// surrogates, finite numbers only. Never traps; every refusal is a `JSONParseError`.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .notUTF8 }
        var parser = JSONByteParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw .trailingBytes(offset: parser.position) }
        return value
    }

    /// Parses `text` (see `parse(_:)` on bytes).
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

private struct JSONByteParser {
    let bytes: [UInt8]
    var position = 0

    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while let c = peek, c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d { position += 1 }
    }

    mutating func expect(_ literal: String, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        for expected in literal.utf8 {
            guard let c = peek else { throw .unexpectedEnd }
            guard c == expected else { throw .unexpectedByte(c, offset: position) }
            position += 1
        }
        return value
    }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < JSONValue.maximumDepth else { throw .tooDeep(limit: JSONValue.maximumDepth) }
        guard let c = peek else { throw .unexpectedEnd }
        switch c {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw .unexpectedByte(c, offset: position)
        }
    }

    mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        position += 1
        var members: [(String, JSONValue)] = []
        var names = Set<String>()
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard let c = peek else { throw .unexpectedEnd }
            guard c == UInt8(ascii: "\"") else { throw .unexpectedByte(c, offset: position) }
            let name = try string()
            guard names.insert(name).inserted else { throw .duplicateMember(name) }
            skipWhitespace()
            guard let colon = peek else { throw .unexpectedEnd }
            guard colon == UInt8(ascii: ":") else { throw .unexpectedByte(colon, offset: position) }
            position += 1
            skipWhitespace()
            members.append((name, try value(depth: depth + 1)))
            skipWhitespace()
            guard let next = peek else { throw .unexpectedEnd }
            position += 1
            if next == UInt8(ascii: "}") { return .object(members) }
            guard next == UInt8(ascii: ",") else { throw .unexpectedByte(next, offset: position - 1) }
        }
    }

    mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            guard let next = peek else { throw .unexpectedEnd }
            position += 1
            if next == UInt8(ascii: "]") { return .array(elements) }
            guard next == UInt8(ascii: ",") else { throw .unexpectedByte(next, offset: position - 1) }
        }
    }

    mutating func string() throws(JSONParseError) -> String {
        position += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = position
        func flush(_ end: Int) {
            // Runs without escapes are valid UTF-8 (checked up front): copy them whole.
            scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
        }
        while true {
            guard let c = peek else { throw .unexpectedEnd }
            if c == UInt8(ascii: "\"") {
                flush(position)
                position += 1
                return String(scalars)
            }
            if c < 0x20 { throw .controlCharacterInString(offset: position) }
            if c != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            flush(position)
            let escapeStart = position
            position += 1
            guard let e = peek else { throw .unexpectedEnd }
            position += 1
            switch e {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                let unit = try hex4(escapeStart)
                if (0xD800...0xDBFF).contains(unit) {
                    // A high surrogate must be followed by `\u` and a low one.
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
                    else { throw .loneSurrogate(offset: escapeStart) }
                    position += 2
                    let low = try hex4(escapeStart)
                    guard (0xDC00...0xDFFF).contains(low) else { throw .loneSurrogate(offset: escapeStart) }
                    let combined = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    guard let scalar = Unicode.Scalar(combined) else { throw .loneSurrogate(offset: escapeStart) }
                    scalars.append(scalar)
                } else {
                    guard let scalar = Unicode.Scalar(UInt32(unit)) else { throw .loneSurrogate(offset: escapeStart) }
                    scalars.append(scalar)
                }
            default:
                throw .invalidEscape(offset: escapeStart)
            }
            runStart = position
        }
    }

    mutating func hex4(_ escapeStart: Int) throws(JSONParseError) -> UInt16 {
        guard position + 4 <= bytes.count else { throw .unexpectedEnd }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw .invalidEscape(offset: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    /// RFC 8259 number grammar, then the nearest double; infinities are refused.
    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = position
        func digits() -> Int {
            let from = position
            while let c = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { position += 1 }
            return position - from
        }
        if peek == UInt8(ascii: "-") { position += 1 }
        if peek == UInt8(ascii: "0") {
            position += 1
        } else if digits() == 0 {
            throw .invalidNumber(offset: start)
        }
        if peek == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw .invalidNumber(offset: start) }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw .invalidNumber(offset: start) }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text) else { throw .invalidNumber(offset: start) }
        guard value.isFinite else { throw .numberOutOfRange(offset: start) }
        return .number(value)
    }
}
