import ByteEncoding
import Macaroons
import Testing

/// Macaroon contents the interop tests send through every peer.
enum InteropFixtures {
    static let rootKeyHex = Hex.encode((0..<32).map { UInt8($0 * 7 % 256) })
    static let otherKeyHex = Hex.encode(Array(repeating: UInt8(0x42), count: 32))
    /// An L402 identifier: version 0, payment hash, token id (66 binary bytes).
    static let l402IdentifierHex = "0000" + Hex.encode((0..<64).map { UInt8(255 - $0 * 3 % 256) })
    static let textIdentifierHex = Hex.encode(Array("user 42 / key 7".utf8))
    /// Many caveats, including multi-byte UTF-8, spaces, `=` in values and an empty one.
    static let manyCaveats: [String] = (0..<40).map { "k\($0)=v\($0)" } + ["tool=wéather ☂", "path_prefix=/a b=c", ""]
    static let l402Caveats = ["tool=weather", "amount_sats=21", "expires_at=1767225600", "calls=3"]

    static func hex(_ caveats: [String]) -> [String] { caveats.map { Hex.encode(Array($0.utf8)) } }

    /// How a peer would describe `macaroon` if it agreed with us.
    static func reading(of macaroon: Macaroon, valid: Bool, version: Int) -> Peers.Reading {
        Peers.Reading(
            valid: valid, error: nil, location: macaroon.location, id_hex: Hex.encode(macaroon.identifier),
            caveats: macaroon.caveats.map {
                .init(id_hex: Hex.encode($0.identifier), vid_hex: $0.verificationId.map { Hex.encode($0) }, location: $0.location)
            },
            signature_hex: Hex.encode(macaroon.signature), version: version)
    }

    /// What an interop case asks a peer (or us) to mint.
    typealias MintCase = (id: String, location: String, caveats: [String], version: Int, json: Bool)

    /// Decodes a token a peer minted from `spec`: it must carry exactly the spec's identifier, location,
    /// caveats and the peer's signature, verify under the root key and not under another key.
    /// Returns the macaroon and its format for peer-specific checks.
    @discardableResult
    static func expectDecodes(_ token: Peers.Minted, as spec: MintCase) throws -> (macaroon: Macaroon, format: MacaroonFormat) {
        let (macaroon, format) = try Macaroon.decode(token.token)
        #expect(format == (spec.json ? .v2j : spec.version == 1 ? .v1 : .v2))
        #expect(Hex.encode(macaroon.identifier) == spec.id)
        #expect(macaroon.location == spec.location)
        #expect(Hex.encode(macaroon.signature) == token.signature_hex)
        var seen: [String] = []
        try macaroon.verify(rootKey: try Hex.decode(rootKeyHex)) { seen.append($0.predicate ?? "<binary>") }
        #expect(seen == spec.caveats)
        #expect(throws: MacaroonError.invalidSignature) { try macaroon.verify(rootKey: try Hex.decode(otherKeyHex)) { _ in } }
        return (macaroon, format)
    }

    /// A token we made, and how a peer that agrees with us reads it.
    typealias ExpectedReading = (token: String, json: Bool, expected: Peers.Reading)

    /// Sends every token to `peer` twice: under the root key each must read back exactly as
    /// expected, and under another key none may verify.
    static func expectPeerReads(_ tokens: [ExpectedReading], peer: ([Peers.Request]) throws -> [Peers.Reading]) throws {
        let readings = try peer(tokens.map { .read($0.token, key: rootKeyHex, json: $0.json) })
        for (token, reading) in zip(tokens, readings) {
            #expect(comparable(reading) == token.expected, "token \(token.token): \(reading.error ?? "")")
        }
        let forged = try peer(tokens.map { .read($0.token, key: otherKeyHex, json: $0.json) })
        #expect(forged.allSatisfy { !$0.valid })
    }

    /// Drops the peer's error text so readings compare on content.
    static func comparable(_ reading: Peers.Reading) -> Peers.Reading {
        var copy = reading
        copy.error = nil
        return copy
    }
}
