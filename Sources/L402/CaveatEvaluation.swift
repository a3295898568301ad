import Foundation
import Macaroons

/// The combined effect of all caveats of a credential on one request.
///
/// Every caveat must hold, including every occurrence of a repeated key, so adding a caveat can only
/// restrict. Evaluation stops at the first caveat (in macaroon order) that fails.
public struct CaveatEvaluation: Sendable, Equatable {
    /// The smallest `calls` limit, or nil when no caveat limits calls.
    public var callsLimit: Int?
    /// The first `amount_sats` (the one the minter put first), if any.
    public var amountSats: UInt64?
    /// The earliest `expires_at`, if any.
    public var expiresAt: Date?
    /// Every parsed caveat, in order.
    public var caveats: [L402Caveat]

    /// Parses every caveat and checks it against `request`.
    /// Third-party caveats and caveats that are not UTF-8 are refused.
    public init(caveats: [Caveat], request: ProtectedRequest) throws(AuthenticationFailure) {
        self.caveats = []
        for (index, caveat) in caveats.enumerated() {
            guard caveat.isFirstParty else { throw .unknownCaveat("third-party caveat #\(index)") }
            guard let predicate = caveat.predicate else { throw .invalidCaveat("caveat #\(index) is not UTF-8 text") }
            self.caveats.append(try L402Caveat(predicate: predicate))
        }
        for caveat in self.caveats {
            try caveat.check(request)
            switch caveat {
            case .calls(let n): callsLimit = min(callsLimit ?? n, n)
            case .amountSats(let sats): amountSats = amountSats ?? sats
            case .expiresAt(let seconds):
                let date = Date(timeIntervalSince1970: Double(seconds))
                expiresAt = min(expiresAt ?? date, date)
            default: break
            }
        }
    }
}
