import Foundation
import L402Client

// snippet:begin delegation
/// A copy of `credential` (`<macaroon>:<preimage>`) that a sub-agent may use for two GET calls
/// in the next ten minutes; the gateway enforces every added caveat.
func credentialForSubAgent(_ credential: String) throws -> String {
    try Delegation.attenuate(
        credential: credential,
        with: DelegationCaveats(expiresAt: Date().addingTimeInterval(600), calls: 2, methods: ["GET"]))
}
// snippet:end
