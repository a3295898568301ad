import Foundation
import Testing
import ByteEncoding

@Suite struct HexTests {
    @Test func roundTripsEveryByte() throws {
        let bytes = (0...255).map(UInt8.init)
        let text = Hex.encode(bytes)
        #expect(text.count == 512)
        #expect(text.hasPrefix("000102"))
        #expect(try Hex.decode(text) == bytes)
        #expect(try Hex.decode(text.uppercased()) == bytes)
    }

    @Test func rejectsGarbage() {
        #expect(throws: Hex.DecodingError.oddLength(3)) { try Hex.decode("abc") }
        #expect(throws: Hex.DecodingError.invalidCharacter("g", offset: 1)) { try Hex.decode("0g") }
        #expect(throws: Hex.DecodingError.invalidCharacter(" ", offset: 2)) { try Hex.decode("00 1") }
    }
}

@Suite struct Base64Tests {
    // RFC 4648 section 10 test vectors.
    static let vectors: [(String, String)] = [
        ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test func rfc4648Vectors() throws {
        for (plain, encoded) in Self.vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(try Base64.decode(encoded) == Array(plain.utf8))
            let unpadded = encoded.replacingOccurrences(of: "=", with: "")
            #expect(try Base64.decode(unpadded) == Array(plain.utf8))
            #expect(Base64.encodeURLSafe(Array(plain.utf8)) == unpadded)
        }
    }

    @Test func urlSafeAlphabet() throws {
        let bytes: [UInt8] = [0xfb, 0xff, 0xbf]
        #expect(Base64.encode(bytes) == "+/+/")
        #expect(Base64.encodeURLSafe(bytes) == "-_-_")
        #expect(try Base64.decode("-_-_") == bytes)
        #expect(try Base64.decode("+_-/") == bytes)
    }

    @Test func rejectsGarbage() throws {
        #expect(throws: Base64.DecodingError.empty) { try Base64.decode("") }
        #expect(throws: Base64.DecodingError.invalidCharacter("!", offset: 2)) { try Base64.decode("Zm!v") }
        #expect(throws: Base64.DecodingError.invalidLength(5)) { try Base64.decode("Zm9vY") }
        #expect(throws: Base64.DecodingError.misplacedPadding(offset: 2)) { try Base64.decode("Zg==Zg==") }
        #expect(throws: Base64.DecodingError.wrongPaddingCount(expected: 0, found: 4)) { try Base64.decode("Zm9v====") }
        #expect(throws: Base64.DecodingError.wrongPaddingCount(expected: 2, found: 1)) { try Base64.decode("Zg=") }
        // Left-over bits in the last group are ignored, as Python's and Go's decoders do.
        #expect(try Base64.decode("Zh==") == [0x66])
        #expect(try Base64.decode("Zm9=") == [0x66, 0x6f])
        #expect(throws: Base64.DecodingError.empty) { try Base64.decode("==") }
        #expect(throws: Base64.DecodingError.invalidCharacter("\u{C3}", offset: 1)) { try Base64.decode("Zé") }
        // A bad character in a short last group, and the first of two bad ones, is the one reported.
        #expect(throws: Base64.DecodingError.invalidCharacter("!", offset: 5)) { try Base64.decode("Zm9vY!") }
        #expect(throws: Base64.DecodingError.invalidCharacter("*", offset: 4)) { try Base64.decode("Zm9v*m!y") }
        #expect(throws: Base64.DecodingError.invalidCharacter("!", offset: 4)) { try Base64.decode("Zm9v!") }
    }

    /// Every length of output (so every size of last group), from a substring as headers give it.
    @Test func roundTripsEveryLength() throws {
        var generator = SystemRandomNumberGenerator()
        for count in 1...70 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let header = "  \(Base64.encode(bytes)) "
            #expect(try Base64.decode(header.dropFirst(2).dropLast()) == bytes)
            #expect(try Base64.decode(Base64.encodeURLSafe(bytes)) == bytes)
        }
    }
}

import TestSupport

@Suite struct PeerAgreementTests {
    /// Python's base64 module is an independent codec: both alphabets must match it byte for byte.
    @Test func matchesPythonBase64() throws {
        let bytes = (0..<200).map { UInt8(($0 * 37 + 11) % 256) }
        let script = """
            import base64, sys
            b = bytes.fromhex(sys.stdin.read())
            print(base64.b64encode(b).decode(), base64.urlsafe_b64encode(b).decode().rstrip("="))
            """
        let theirs = try Subprocess.output("python3", ["-c", script], input: Hex.encode(bytes))
            .split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(theirs == [Base64.encode(bytes), Base64.encodeURLSafe(bytes)])
        #expect(try Base64.decode(theirs[0]) == bytes)
        #expect(try Base64.decode(theirs[1]) == bytes)
    }
}
