import Macaroons
import Testing

/// Each caveat costs one HMAC to verify, so decoding refuses a macaroon with more than
/// `Macaroon.maximumCaveats` of them in every format, before any HMAC is computed.
@Suite struct CaveatLimitTests {
    static func macaroon(caveats: Int) -> Macaroon {
        (0..<caveats).reduce(Macaroon(rootKey: Array(repeating: 9, count: 32), identifier: Array("id".utf8))) {
            $0.addingFirstPartyCaveat("n=\($1)")
        }
    }

    @Test func theLimitIs64() { #expect(Macaroon.maximumCaveats == 64) }

    @Test(arguments: MacaroonFormat.allCases)
    func sixtyFourCaveatsDecode(_ format: MacaroonFormat) throws {
        let macaroon = Self.macaroon(caveats: 64)
        #expect(try Macaroon(bytes: try macaroon.serialize(format)) == macaroon)
    }

    @Test(arguments: MacaroonFormat.allCases)
    func sixtyFiveCaveatsAreRefused(_ format: MacaroonFormat) throws {
        let bytes = try Self.macaroon(caveats: 65).serialize(format)
        #expect(throws: MacaroonError.tooManyCaveats(limit: 64)) { try Macaroon(bytes: bytes) }
        #expect("\(MacaroonError.tooManyCaveats(limit: 64))" == "macaroon has more than 64 caveats, the most accepted")
    }

    /// Thousands of empty caveats (two bytes each in V2) fit a 16 KiB header: refused all the same.
    @Test func thousandsOfEmptyCaveatsAreRefused() {
        let bytes = Self.macaroon(caveats: 0).serialize()
        let empty: [UInt8] = [2, 0, 0]  // an identifier field (type 2) of length 0, end of section
        let crafted = Array(bytes.dropLast(35)) + Array(repeating: empty, count: 4000).flatMap { $0 } + Array(bytes.suffix(35))
        #expect(throws: MacaroonError.tooManyCaveats(limit: 64)) { try Macaroon(bytes: crafted) }
    }

    @Test func binaryDecodingRefusesJSON() throws {
        let macaroon = Self.macaroon(caveats: 1)
        #expect(try Macaroon(binary: macaroon.serialize(.v2)) == macaroon)
        #expect(try Macaroon(binary: macaroon.serialize(.v1)) == macaroon)
        #expect(throws: MacaroonError.binaryRequired) { try Macaroon(binary: try macaroon.serialize(.v2j)) }
        #expect("\(MacaroonError.binaryRequired)".contains("V2 JSON"))
    }
}
