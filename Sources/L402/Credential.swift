import ByteEncoding
import Macaroons

/// An L402 credential, as sent in `Authorization: L402 <macaroon>[,<macaroon>…]:<preimage hex>`
/// (`LSAT` accepted as the scheme too, in any case).
public struct Credential: Sendable, Equatable {
    /// Longest Authorization header accepted; longer ones are refused before any decoding.
    public static let maximumHeaderLength = 16 * 1024
    /// Most macaroons accepted in one credential.
    public static let maximumMacaroons = 8

    /// The macaroons, first the one carrying the L402 identifier.
    public var macaroons: [Macaroon]
    /// The 32-byte preimage proving payment. Never log it.
    public var preimage: [UInt8]

    /// A credential of these macaroons (the first is the token, any others discharge it) and the invoice's preimage.
    public init(macaroons: [Macaroon], preimage: [UInt8]) {
        self.macaroons = macaroons
        self.preimage = preimage
    }

    /// Parses an Authorization header value. Base64 may use either alphabet, padded or not, of binary
    /// macaroons only (V2, or V1; not V2 JSON), each of at most `Macaroon.maximumCaveats` caveats; the
    /// preimage is 64 hex digits in either case. Anything else is a precise `CredentialError`.
    public init(authorizationHeader: String) throws(CredentialError) {
        let utf8 = authorizationHeader.utf8
        guard utf8.count <= Self.maximumHeaderLength else { throw .tooLong(utf8.count) }
        let header = authorizationHeader.trimmingASCIIWhitespace()
        guard !header.isEmpty else { throw .empty }

        guard let space = header.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
            let lone = String(header)
            if ["l402", "lsat"].contains(lone.lowercased()) { throw .missingToken }
            throw .missingScheme
        }
        let scheme = String(header[..<space])
        guard ["l402", "lsat"].contains(scheme.lowercased()) else { throw .unsupportedScheme(Self.printable(scheme)) }
        let token = header[space...].trimmingASCIIWhitespace()
        guard !token.isEmpty else { throw .missingToken }

        guard let colon = token.firstIndex(of: ":") else { throw .missingPreimage }
        let macaroonPart = token[..<colon]
        let preimagePart = token[token.index(after: colon)...]

        guard !preimagePart.isEmpty else { throw .missingPreimage }
        do {
            preimage = try Hex.decode(preimagePart)
        } catch {
            switch error {
            case .oddLength(let n): throw .invalidPreimageHex("odd number of hex digits (\(n))")
            case .invalidCharacter(_, let offset): throw .invalidPreimageHex("non-hex character at offset \(offset)")
            }
        }
        guard preimage.count == 32 else { throw .wrongPreimageLength(preimage.count) }

        guard !macaroonPart.trimmingASCIIWhitespace().isEmpty else { throw .missingMacaroon }
        let pieces = macaroonPart.split(separator: ",", omittingEmptySubsequences: false)
        guard pieces.count <= Self.maximumMacaroons else { throw .tooManyMacaroons(pieces.count) }
        var macaroons = [Macaroon]()
        for (index, piece) in pieces.enumerated() {
            let text = piece.trimmingASCIIWhitespace()
            guard !text.isEmpty else { throw .emptyMacaroon(index: index) }
            let bytes: [UInt8]
            do { bytes = try Base64.decode(text) } catch { throw .invalidBase64(index: index, error) }
            do { macaroons.append(try Macaroon(binary: bytes)) } catch { throw .invalidMacaroon(index: index, error) }
        }
        self.macaroons = macaroons
    }

    /// `L402 <std base64 macaroons, comma-separated>:<preimage hex>`.
    public var headerValue: String {
        "L402 " + macaroons.map { $0.encoded() }.joined(separator: ",") + ":" + Hex.encode(preimage)
    }

    /// A short, printable rendering of caller text for error messages.
    private static func printable(_ text: String) -> String {
        String(text.unicodeScalars.prefix(24).map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7f ? Character($0) : "?" })
    }
}

/// Why an Authorization header is not an L402 credential. Never contains the preimage.
public enum CredentialError: Error, Equatable, CustomStringConvertible {
    /// The header value is empty.
    case empty
    /// The header is longer than this many bytes.
    case tooLong(Int)
    /// There is no scheme before the token.
    case missingScheme
    /// The scheme is neither `L402` nor `LSAT`.
    case unsupportedScheme(String)
    /// Nothing follows the scheme.
    case missingToken
    /// There is no `:<preimage>` after the macaroons.
    case missingPreimage
    /// The preimage is not hexadecimal.
    case invalidPreimageHex(String)
    /// The preimage has this many bytes, not 32.
    case wrongPreimageLength(Int)
    /// There is no macaroon before the `:`.
    case missingMacaroon
    /// The macaroon at this index of the comma-separated list is empty.
    case emptyMacaroon(index: Int)
    /// More macaroons than a credential may carry.
    case tooManyMacaroons(Int)
    /// The macaroon at this index is not base64.
    case invalidBase64(index: Int, Base64.DecodingError)
    /// The macaroon at this index does not decode.
    case invalidMacaroon(index: Int, MacaroonError)

    public var description: String {
        switch self {
        case .empty: "Authorization header is empty"
        case .tooLong(let n): "Authorization header is \(n) bytes; the limit is \(Credential.maximumHeaderLength)"
        case .missingScheme: "Authorization header has no scheme (expected `L402 <macaroon>:<preimage>`)"
        case .unsupportedScheme(let s): "unsupported authorization scheme \(s.debugDescription) (expected L402 or LSAT)"
        case .missingToken: "L402 credential is missing after the scheme"
        case .missingPreimage: "L402 credential has no preimage (expected `<macaroon>:<preimage hex>`)"
        case .invalidPreimageHex(let reason): "preimage is not hex: \(reason)"
        case .wrongPreimageLength(let n): "preimage is \(n) bytes, expected 32"
        case .missingMacaroon: "L402 credential has no macaroon before ':'"
        case .emptyMacaroon(let i): "macaroon #\(i) of the credential is empty"
        case .tooManyMacaroons(let n): "credential holds \(n) macaroons; the limit is \(Credential.maximumMacaroons)"
        case .invalidBase64(let i, let error): "macaroon #\(i) is not base64: \(error)"
        case .invalidMacaroon(let i, let error): "macaroon #\(i) does not decode: \(error)"
        }
    }
}

extension StringProtocol {
    /// Drops leading and trailing spaces, tabs, CR and LF.
    func trimmingASCIIWhitespace() -> SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
