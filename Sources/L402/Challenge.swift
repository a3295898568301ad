import Macaroons

/// An L402 challenge: the macaroon to present once `invoice` is paid.
///
/// Sent as two `WWW-Authenticate` headers, Aperture's way: `LSAT macaroon="…", invoice="…"` first
/// (older clients read only the first), then `L402 macaroon="…", invoice="…"`.
public struct Challenge: Sendable, Equatable {
    /// Longest header value parsed; longer ones are refused before scanning.
    public static let maximumHeaderLength = 64 * 1024

    /// The macaroon the payer presents back, with the preimage, once the invoice is paid.
    public var macaroon: Macaroon
    /// The BOLT-11 payment request.
    public var invoice: String

    /// A challenge for this macaroon and BOLT-11 invoice.
    public init(macaroon: Macaroon, invoice: String) {
        self.macaroon = macaroon
        self.invoice = invoice
    }

    /// The two `WWW-Authenticate` values, LSAT first, macaroon in standard padded base64.
    public var headerValues: [String] {
        let params = "macaroon=\"\(macaroon.encoded())\", invoice=\"\(invoice)\""
        return ["LSAT " + params, "L402 " + params]
    }

    /// Finds the first L402 or LSAT challenge (scheme in any case) in the `WWW-Authenticate` values.
    /// Accepts `macaroon=` or `token=` (the 2026 revision's `version="0", token="…"`), parameters in
    /// any order, quoted or not; unknown parameters and other schemes are ignored. If no L402/LSAT
    /// challenge is usable, throws the problem of the first one found.
    public static func parse(headerValues: [String]) throws(ChallengeError) -> Challenge {
        var firstError: ChallengeError?
        for value in headerValues {
            guard value.utf8.count <= maximumHeaderLength else {
                firstError = firstError ?? .tooLong(value.utf8.count)
                continue
            }
            let challenges: [AuthChallenge]
            do {
                challenges = try AuthChallengeScanner.challenges(in: value)
            } catch {
                firstError = firstError ?? .syntax(error)
                continue
            }
            for challenge in challenges where ["l402", "lsat"].contains(challenge.scheme.lowercased()) {
                do { return try Challenge(challenge) } catch { firstError = firstError ?? error }
            }
        }
        throw firstError ?? .noL402Challenge
    }

    private init(_ challenge: AuthChallenge) throws(ChallengeError) {
        var seen = [String: String]()
        for (name, value) in challenge.parameters {
            guard seen[name] == nil else { throw .duplicateParameter(name) }
            seen[name] = value
        }
        if let version = seen["version"], version != "0" { throw .unsupportedVersion(version) }
        let macaroonText: String
        switch (seen["macaroon"], seen["token"]) {
        case (nil, nil): throw .missingParameter("macaroon")
        case (let m?, let t?) where m != t: throw .conflictingMacaroons
        case (let m?, _): macaroonText = m
        case (nil, let t?): macaroonText = t
        }
        guard let invoice = seen["invoice"], !invoice.isEmpty else { throw .missingParameter("invoice") }
        do { macaroon = try Macaroon(decoding: macaroonText) } catch { throw .invalidMacaroon(error) }
        self.invoice = invoice
    }
}

/// Why `WWW-Authenticate` values hold no usable L402 challenge.
public enum ChallengeError: Error, Equatable, CustomStringConvertible {
    /// No `L402` or `LSAT` challenge is among the header values.
    case noL402Challenge
    /// The header is longer than this many bytes, more than a challenge needs.
    case tooLong(Int)
    /// The header is not `WWW-Authenticate` syntax.
    case syntax(ChallengeSyntaxError)
    /// A required parameter (`macaroon`/`token` or `invoice`) is missing.
    case missingParameter(String)
    /// A parameter appears twice in one challenge.
    case duplicateParameter(String)
    /// The `L402` and `LSAT` challenges carry different macaroons.
    case conflictingMacaroons
    /// The `version` parameter names a version this library does not speak.
    case unsupportedVersion(String)
    /// The macaroon parameter does not decode.
    case invalidMacaroon(MacaroonError)

    public var description: String {
        switch self {
        case .noL402Challenge: "no L402 or LSAT challenge in WWW-Authenticate"
        case .tooLong(let n): "WWW-Authenticate value is \(n) bytes; the limit is \(Challenge.maximumHeaderLength)"
        case .syntax(let error): "WWW-Authenticate is not a valid challenge list: \(error)"
        case .missingParameter(let name): "L402 challenge lacks the \(name) parameter"
        case .duplicateParameter(let name): "L402 challenge has the \(name) parameter twice"
        case .conflictingMacaroons: "L402 challenge has different macaroon= and token= values"
        case .unsupportedVersion(let v): "L402 challenge version \(v.debugDescription) is not supported (only 0 is)"
        case .invalidMacaroon(let error): "L402 challenge macaroon does not decode: \(error)"
        }
    }
}
