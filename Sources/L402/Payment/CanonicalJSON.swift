import ByteEncoding

/// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte sequence the `Payment` scheme
/// hashes and binds for a JSON value.
///
/// Members sorted by their names' UTF-16 code units (not code points, not UTF-8 bytes); strings
/// escaped as ECMAScript's `JSON.stringify` does (only `"`, `\` and controls; `<`, `&`, U+2028
/// stay literal); numbers in ECMAScript's shortest round-trip form (`1e+21`, `1e-7`, `0.000001`).
extension JSONValue {
    /// The canonical UTF-8 bytes of this value.
    public var canonicalBytes: [UInt8] {
        var out = [UInt8]()
        Self.write(self, into: &out)
        return out
    }

    /// The canonical form as a string.
    public var canonicalString: String { String(decoding: canonicalBytes, as: UTF8.self) }

    private static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .number(let d): out += Array(ecmaScriptString(d).utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.0.utf16.lexicographicallyPrecedes($1.0.utf16) }
            for (i, (name, member)) in sorted.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(name, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x00..<0x20:
                out += Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0f)]]
            default: out.append(byte)  // UTF-8 multi-byte sequences pass through whole
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// ECMAScript Number::toString for a finite double (ECMA-262 §6.1.6.1.20). Swift's
    /// `description` already yields the shortest digits that round-trip; only the layout differs.
    static func ecmaScriptString(_ value: Double) -> String {
        guard value.isFinite else { return "null" }  // as JSON.stringify; the parser never produces one
        if value == 0 { return "0" }  // both zeroes
        if value < 0 { return "-" + ecmaScriptString(-value) }
        // Split Swift's rendering ("1.2345e+20", "0.001", "5e-324", "12.5") into digits and exponent.
        let text = value.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        var exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = String(pieces[0])
        let fractionPart = pieces.count > 1 ? String(pieces[1]) : ""
        var digits = integerPart + fractionPart
        exponent += integerPart.count  // value = 0.digits × 10^exponent
        while digits.hasPrefix("0") {
            digits.removeFirst()
            exponent -= 1
        }
        while digits.hasSuffix("0") { digits.removeLast() }
        let k = digits.count
        let n = exponent
        if k <= n && n <= 21 { return digits + String(repeating: "0", count: n - k) }
        if 0 < n && n <= 21 {
            return String(digits.prefix(n)) + "." + String(digits.dropFirst(n))
        }
        if -6 < n && n <= 0 { return "0." + String(repeating: "0", count: -n) + digits }
        let e = n - 1
        let sign = e < 0 ? "-" : "+"
        let head = String(digits.prefix(1))
        let tail = k == 1 ? "" : "." + String(digits.dropFirst())
        return head + tail + "e" + sign + String(abs(e))
    }

    /// The canonical form, base64url without padding: how `request`, `opaque`, credentials and
    /// receipts travel.
    public var canonicalBase64URL: String { Base64URL.encode(canonicalBytes) }
}
