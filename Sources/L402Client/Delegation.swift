import ByteEncoding
import Foundation
import L402
import Macaroons

/// Restrictions a holder adds to a token before handing it to a sub-agent. Each becomes a
/// first-party caveat the gateway enforces (adding a caveat can only narrow what a token allows).
public struct DelegationCaveats: Sendable, Equatable {
    /// The token stops working at this time (`expires_at`).
    public var expiresAt: Date?
    /// Only requests to this tool (`tool`).
    public var tool: String?
    /// At most this many calls in total, counted by the gateway over every holder (`calls`).
    public var calls: Int?
    /// Only these HTTP methods (`method`).
    public var methods: [String]?
    /// Only paths below this prefix, relative to the tool (`path_prefix`).
    public var pathPrefix: String?

    /// Restrictions to add; nil leaves that aspect unrestricted.
    public init(expiresAt: Date? = nil, tool: String? = nil, calls: Int? = nil, methods: [String]? = nil, pathPrefix: String? = nil) {
        self.expiresAt = expiresAt
        self.tool = tool
        self.calls = calls
        self.methods = methods
        self.pathPrefix = pathPrefix
    }

    /// The caveats, as L402 predicates; each is checked by the L402 module's caveat parser.
    public func caveats() throws(DelegationError) -> [L402Caveat] {
        var result: [L402Caveat] = []
        if let expiresAt { result.append(.expiresAt(unixSeconds: UInt64(max(0, expiresAt.timeIntervalSince1970.rounded(.down))))) }
        if let tool { result.append(.tool(tool)) }
        if let calls {
            guard calls > 0 else { throw .invalidCaveat("calls must be at least 1") }
            result.append(.calls(calls))
        }
        if let methods, !methods.isEmpty { result.append(.methods(methods.map { $0.uppercased() })) }
        if let pathPrefix { result.append(.pathPrefix(pathPrefix)) }
        guard !result.isEmpty else { throw .noCaveats }
        for caveat in result {
            // Round-trip through the gateway's own parser, so a caveat it would refuse is refused here.
            do { _ = try L402Caveat(predicate: caveat.predicate) } catch { throw .invalidCaveat("\(caveat.predicate): \(error)") }
        }
        return result
    }
}

/// Why a token could not be attenuated.
public enum DelegationError: Error, Equatable, CustomStringConvertible {
    /// The credential is not `<macaroon>:<preimage hex>`.
    case malformedCredential(String)
    /// No restriction was given: the exported token would be the holder's own.
    case noCaveats
    /// A restriction the gateway would not accept.
    case invalidCaveat(String)

    public var description: String {
        switch self {
        case .malformedCredential(let reason): "not a credential `<macaroon>:<preimage hex>`: \(reason)"
        case .noCaveats: "no restriction given (e.g. an expiry, a tool, a number of calls)"
        case .invalidCaveat(let reason): "invalid restriction: \(reason)"
        }
    }
}

/// Attenuation of tokens for delegation: a holder adds caveats to its macaroon, without asking the
/// server, and hands `<macaroon>:<preimage>` to a sub-agent that uses it with no wallet.
public enum Delegation {
    /// `credential` (`<macaroon>:<preimage hex>`, as `l402 token export` prints it) with `caveats`
    /// added to its first macaroon, in the same form.
    public static func attenuate(credential: String, with caveats: DelegationCaveats) throws(DelegationError) -> String {
        let parsed: Credential
        do {
            parsed = try Credential(authorizationHeader: "L402 " + credential.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw .malformedCredential("\(error)")
        }
        var macaroons = parsed.macaroons
        macaroons[0] = try attenuate(macaroon: macaroons[0], with: caveats)
        return exported(Credential(macaroons: macaroons, preimage: parsed.preimage))
    }

    /// A cached token with `caveats` added: same payment hash and preimage, narrower macaroon, and
    /// the calls and expiry it now allows.
    public static func attenuate(token: CachedToken, with caveats: DelegationCaveats) throws(DelegationError) -> CachedToken {
        guard let credential = token.exportedCredential else { throw .malformedCredential("the token is not paid yet") }
        let attenuated = try attenuate(credential: credential, with: caveats)
        var result = token
        result.macaroon = String(attenuated[..<attenuated.lastIndex(of: ":")!])
        if let calls = caveats.calls { result.callsLimit = min(result.callsLimit ?? calls, calls) }
        if let expiry = caveats.expiresAt { result.expiresAt = min(result.expiresAt ?? expiry, expiry) }
        return result
    }

    static func attenuate(macaroon: Macaroon, with caveats: DelegationCaveats) throws(DelegationError) -> Macaroon {
        try caveats.caveats().reduce(macaroon) { $0.addingFirstPartyCaveat($1.predicate) }
    }

    /// `<macaroons>:<preimage hex>`: the credential without its scheme.
    static func exported(_ credential: Credential) -> String {
        String(credential.headerValue.dropFirst("L402 ".count))
    }
}
