// snippet:begin macaroons
import Macaroons

struct UnknownCaveat: Error { var predicate: String? }

/// Mints a token for three weather calls, encodes it for a header, decodes and verifies it.
func weatherToken(rootKey: [UInt8], identifier: [UInt8]) throws -> String {
    let token = Macaroon(rootKey: rootKey, identifier: identifier, location: "https://api.example")
        .addingFirstPartyCaveat("tool=weather")
        .addingFirstPartyCaveat("calls=3")
    let header = token.encoded()                          // V2 binary, standard padded base64
    let (macaroon, format) = try Macaroon.decode(header)  // V2 or V1 base64 (any alphabet, padding), or V2 JSON
    try macaroon.verify(rootKey: rootKey) { caveat in     // throws MacaroonError.invalidSignature before any check
        guard caveat.predicate == "tool=weather" || caveat.predicate == "calls=3" else {
            throw UnknownCaveat(predicate: caveat.predicate)
        }
    }
    precondition(format == .v2)
    return header
}
// snippet:end
