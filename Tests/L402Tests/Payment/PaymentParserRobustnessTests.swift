import ByteEncoding
import Foundation
import L402
import Testing

/// Every Payment-scheme parser on thousands of mangled inputs (seeded, so a failure replays): each
/// returns or throws its typed error, none traps. The libFuzzer targets go further; this keeps the
/// property in the ordinary suite.
@Suite struct PaymentParserRobustnessTests {
    /// SplitMix64: a small deterministic generator.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mangle(_ text: String, _ rng: inout Seeded) -> [UInt8] {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { break }
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1...8, using: &rng)))
            case 2: bytes.insert(contentsOf: Array("\"\\{[,=:".utf8).shuffled(using: &rng).prefix(2), at: i)
            default: bytes = Array(bytes[..<i])
            }
        }
        return bytes
    }

    @Test func noParserTrapsOnMangledInput() throws {
        let secret = Array(repeating: UInt8(7), count: 32)
        let request = LightningChargeRequest(
            amountSats: 21, description: "d", invoice: "lnbcrt210n1pexample", paymentHash: Array(repeating: 1, count: 32), network: .regtest)
        let binding = ChallengeBinding(secret: secret)
        var challenge = PaymentChallenge(
            id: "", realm: "r", method: "lightning", intent: "charge", request: request.encoded, expires: "2030-01-01T00:00:00Z")
        challenge.id = binding.id(for: challenge)
        let credential = PaymentCredential(challenge: challenge, preimage: Array(repeating: 2, count: 32))
        let receipt = PaymentReceipt(timestamp: "2030-01-01T00:00:00Z", reference: String(repeating: "ab", count: 32), challengeID: "x")
        let verifier = PaymentVerifier(binding: binding, realm: "r")
        let seeds = [credential.headerValue, challenge.headerValue, request.encoded, receipt.headerValue,
                     credential.json.canonicalString, "lightning/charge, l402;q=0.5"]
        var rng = Seeded(state: 402)
        var refused = 0
        for round in 0..<3000 {
            let bytes = Self.mangle(seeds[round % seeds.count], &rng)
            let text = String(decoding: bytes, as: UTF8.self)
            if (try? JSONValue.parse(bytes)) == nil { refused += 1 }
            _ = try? PaymentCredential(parsing: text)
            _ = try? PaymentChallenge.parseAll(headerValues: [text])
            _ = try? LightningChargeRequest(encoded: text)
            _ = try? PaymentReceipt(parsing: text)
            _ = try? AcceptPayment(parsing: text)
            _ = try? Base64URL.decode(text)
            _ = try? verifier.verify(authorization: text)
            _ = AcceptPayment.offers([.l402, .lightningCharge], header: text)
        }
        #expect(refused > 1000, "the mangling reaches the error paths")
    }
}
