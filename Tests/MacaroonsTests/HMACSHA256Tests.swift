import ByteEncoding
import Crypto
import Testing

@testable import Macaroons

/// Our RFC 2104 HMAC-SHA256 (the macaroon chain's MAC) against the published RFC 4231 vectors and
/// against swift-crypto's own `HMAC<SHA256>` around the block-size edges.
@Suite struct HMACSHA256Tests {
    /// RFC 4231 §4.2–4.8, "Test Cases" for HMAC-SHA-256 (https://www.rfc-editor.org/rfc/rfc4231#section-4):
    /// key, data, expected MAC in hex. Case 5's MAC is published truncated to 128 bits.
    static let rfc4231: [(key: [UInt8], data: [UInt8], mac: String)] = [
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (Array(1...25), [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ([UInt8](repeating: 0x0c, count: 20), Array("Test With Truncation".utf8),
         "a3b6167473100ee06e0c796c2955552b"),
        ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xaa, count: 131),
         Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test(arguments: 0..<7) func matchesRFC4231(case index: Int) {
        let vector = Self.rfc4231[index]
        let mac = Hex.encode(HMACSHA256.authenticationCode(for: vector.data, key: vector.key).withUnsafeBytes { Array($0) })
        #expect(mac.hasPrefix(vector.mac), "RFC 4231 test case \(index + 1)")
    }

    /// Keys and messages shorter than, equal to and longer than the 64-byte block (and the 55 bytes
    /// that still fit one padded block), against swift-crypto's own HMAC.
    @Test(arguments: [0, 1, 32, 55, 56, 63, 64, 65, 200]) func matchesSwiftCryptoHMAC(length: Int) {
        var generator = SystemRandomNumberGenerator()
        let random = { (count: Int) in (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        for (key, message) in [(random(length), random(150)), (random(32), random(length))] {
            let ours = HMACSHA256.authenticationCode(for: message, key: key)
            let reference = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
            #expect(ours.withUnsafeBytes { Array($0) } == reference.withUnsafeBytes { Array($0) })
        }
    }
}
