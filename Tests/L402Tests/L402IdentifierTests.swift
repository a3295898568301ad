import Crypto
import L402
import Testing

@Suite struct L402IdentifierTests {
    static func randomHash() -> [UInt8] { Array(SHA256.hash(data: TokenID.random().bytes)) }

    @Test func roundTripsVersionZero() throws {
        let hash = Self.randomHash()
        let token = TokenID.random()
        let identifier = try L402Identifier(paymentHash: hash, tokenID: token)
        let bytes = identifier.encoded()
        #expect(bytes.count == 66)
        #expect(bytes[0] == 0 && bytes[1] == 0)
        #expect(Array(bytes[2..<34]) == hash)
        #expect(Array(bytes[34...]) == token.bytes)
        let decoded = try L402Identifier(decoding: bytes)
        #expect(decoded == identifier)
        #expect(decoded.version == 0 && decoded.paymentHash == hash && decoded.tokenID == token)
    }

    @Test(arguments: [0, 1, 2, 34, 65, 67, 200])
    func rejectsOtherLengths(length: Int) {
        let bytes = [UInt8](repeating: 0, count: length)
        let expected: L402Identifier.DecodingError = length < 2 ? .tooShort(length) : .wrongLength(length)
        #expect(throws: expected) { try L402Identifier(decoding: bytes) }
    }

    @Test(arguments: [UInt16(1), 2, 0x0100, 0xffff])
    func rejectsOtherVersions(version: UInt16) throws {
        var bytes = try L402Identifier(paymentHash: Self.randomHash(), tokenID: .random()).encoded()
        bytes[0] = UInt8(version >> 8)
        bytes[1] = UInt8(version & 0xff)
        #expect(throws: L402Identifier.DecodingError.unsupportedVersion(version)) { try L402Identifier(decoding: bytes) }
        #expect(String(describing: L402Identifier.DecodingError.unsupportedVersion(version)).contains("version \(version)"))
    }

    @Test func rejectsShortPaymentHash() {
        #expect(throws: L402Identifier.DecodingError.wrongPaymentHashLength(31)) {
            try L402Identifier(paymentHash: [UInt8](repeating: 1, count: 31), tokenID: .random())
        }
    }

    @Test func tokenIDParsesHexAndRejectsGarbage() throws {
        let token = TokenID.random()
        #expect(token.hex.count == 64)
        #expect(try TokenID(hex: token.hex) == token)
        #expect(try TokenID(hex: token.hex.uppercased()) == token)
        #expect(throws: TokenID.ParseError.wrongLength(31)) { try TokenID(hex: String(token.hex.dropLast(2))) }
        #expect(throws: TokenID.ParseError.self) { try TokenID(hex: "zz" + token.hex.dropFirst(2)) }
        #expect(TokenID.random() != TokenID.random())
    }
}
