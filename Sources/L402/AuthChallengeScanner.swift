/// Where a `WWW-Authenticate` value breaks the challenge grammar.
public enum ChallengeSyntaxError: Error, Equatable, CustomStringConvertible {
    /// A quoted string is not closed, starting at this offset.
    case unterminatedQuote(offset: Int)
    /// A character that cannot stand here, at this offset.
    case unexpectedCharacter(offset: Int)
    /// A `name=value` parameter comes before any scheme name, at this offset.
    case parameterBeforeScheme(offset: Int)

    public var description: String {
        switch self {
        case .unterminatedQuote(let offset): "quoted string opened at offset \(offset) is not closed"
        case .unexpectedCharacter(let offset): "unexpected character at offset \(offset)"
        case .parameterBeforeScheme(let offset): "parameter at offset \(offset) comes before any scheme"
        }
    }
}

/// One challenge of a `WWW-Authenticate` value: a scheme and its auth-params (RFC 9110 §11).
struct AuthChallenge: Equatable {
    var scheme: String
    /// Parameter names lower-cased, in order; values unquoted.
    var parameters: [(name: String, value: String)]

    static func == (lhs: AuthChallenge, rhs: AuthChallenge) -> Bool {
        lhs.scheme == rhs.scheme && lhs.parameters.elementsEqual(rhs.parameters) { $0 == $1 }
    }
}

/// Splits a `WWW-Authenticate` header value into its challenges. One value may hold several
/// (`LSAT macaroon="…", invoice="…", L402 macaroon="…"`): a token followed by `=` is a parameter,
/// any other token starts a new challenge. Token68 forms of other schemes are skipped.
struct AuthChallengeScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    static func challenges(in text: String) throws(ChallengeSyntaxError) -> [AuthChallenge] {
        var scanner = AuthChallengeScanner(text)
        return try scanner.scanAll()
    }

    private mutating func scanAll() throws(ChallengeSyntaxError) -> [AuthChallenge] {
        var result = [AuthChallenge]()
        while true {
            skip { $0 == UInt8(ascii: ",") || Self.isSpace($0) }
            guard position < bytes.count else { return result }
            let start = position
            let token = scanToken()
            guard !token.isEmpty else { throw .unexpectedCharacter(offset: position) }
            let afterToken = position
            skip(Self.isSpace)
            if peek == UInt8(ascii: "=") {
                // `name=` with no scheme before it; a token68 (`abc==`) after a scheme is handled below.
                guard !result.isEmpty else { throw .parameterBeforeScheme(offset: start) }
                position = afterToken
                try scanParameterValue(named: token, into: &result[result.count - 1])
            } else {
                result.append(AuthChallenge(scheme: token, parameters: []))
            }
        }
    }

    /// At `=` after a parameter name: reads the value (quoted string or token).
    private mutating func scanParameterValue(named name: String, into challenge: inout AuthChallenge) throws(ChallengeSyntaxError) {
        skip(Self.isSpace)
        position += 1  // "="
        skip(Self.isSpace)
        if peek == UInt8(ascii: "\"") {
            challenge.parameters.append((name.lowercased(), try scanQuoted()))
        } else {
            // Unquoted values may be base64 (token68 characters `/` and `=`), which some servers send bare.
            let start = position
            skip { Self.isTokenCharacter($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "=") }
            let value = String(decoding: bytes[start..<position], as: UTF8.self)
            if value.isEmpty {
                // token68 padding (`abc==`) or an empty value: skip to the next comma.
                skip { $0 != UInt8(ascii: ",") }
            } else {
                challenge.parameters.append((name.lowercased(), value))
            }
        }
        skip(Self.isSpace)
        guard position == bytes.count || peek == UInt8(ascii: ",") else { throw .unexpectedCharacter(offset: position) }
    }

    private mutating func scanQuoted() throws(ChallengeSyntaxError) -> String {
        let open = position
        position += 1
        var value = [UInt8]()
        while position < bytes.count {
            let c = bytes[position]
            position += 1
            if c == UInt8(ascii: "\"") { return String(decoding: value, as: UTF8.self) }
            if c == UInt8(ascii: "\\") {
                guard position < bytes.count else { break }
                value.append(bytes[position])
                position += 1
            } else {
                value.append(c)
            }
        }
        throw .unterminatedQuote(offset: open)
    }

    private mutating func scanToken() -> String {
        let start = position
        skip(Self.isTokenCharacter)
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skip(_ predicate: (UInt8) -> Bool) {
        while position < bytes.count, predicate(bytes[position]) { position += 1 }
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") }

    /// RFC 9110 tchar.
    private static func isTokenCharacter(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(c)
        }
    }
}
