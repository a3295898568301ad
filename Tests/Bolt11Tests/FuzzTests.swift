import Testing
@testable import Bolt11

/// Bad input of every shape ends in a `Bolt11Error`, never a trap.
@Suite struct FuzzTests {
    static let corpus = SpecExample.reencodable.map(\.invoice) + SpecExample.decodeOnly.map(\.invoice)
        + [Crafted.invoice(Crafted.required)]

    /// Decodes `text`; true when it decoded, false when it threw a `Bolt11Error`. Any other error is a failure.
    static func outcome(_ text: String) -> Bool {
        do {
            _ = try Invoice.decode(text)
            return true
        } catch is Bolt11Error {
            return false
        } catch {
            Issue.record("\(text) threw a foreign error: \(error)")
            return false
        }
    }

    @Test func everyTruncationIsRejected() {
        for invoice in Self.corpus {
            for length in 0..<invoice.count {
                #expect(!Self.outcome(String(invoice.prefix(length))), "prefix of length \(length) decoded")
            }
        }
    }

    /// Random word changes under a valid checksum reach the field parser and signature check.
    @Test func mutatedDataWithValidChecksumNeverTraps() {
        var generator = SystemRandomNumberGenerator()
        for invoice in Self.corpus {
            for _ in 0..<150 {
                let mutated = Crafted.rechecksummed(invoice) { words in
                    for _ in 0..<Int.random(in: 1...4, using: &generator) {
                        let index = Int.random(in: 0..<words.count, using: &generator)
                        switch Int.random(in: 0..<3, using: &generator) {
                        case 0: words[index] = UInt8.random(in: 0...31, using: &generator)
                        case 1: words.remove(at: index)
                        default: words.insert(UInt8.random(in: 0...31, using: &generator), at: index)
                        }
                    }
                }
                _ = Self.outcome(mutated)
            }
        }
    }

    /// Field lengths pointing anywhere, including past the end.
    @Test func everyLengthOfTheFirstFieldIsHandled() {
        let invoice = Crafted.invoice(Crafted.required)
        for length in 0..<1024 {
            let mutated = Crafted.rechecksummed(invoice) { words in
                words[8] = UInt8(length >> 5)
                words[9] = UInt8(length & 31)
            }
            _ = Self.outcome(mutated)
        }
    }

    @Test func randomStringsAreRejected() {
        let characters = Array("lnbcrt1qpzry9x8gf2tvdw0s3jn54khce6mua7lLNBC0-_ é⚡")
        for _ in 0..<2000 {
            let text = String((0..<Int.random(in: 0...400)).map { _ in characters.randomElement()! })
            #expect(!Self.outcome(text))
        }
    }

    @Test func hugeInputIsRejectedByTheChecksum() {
        let huge = "lnbc1" + String(repeating: "q", count: 200_000)
        #expect(throws: Bolt11Error.invalidChecksum) { try Invoice.decode(huge) }
    }
}
