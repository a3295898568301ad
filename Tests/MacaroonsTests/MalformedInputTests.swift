import ByteEncoding
import Macaroons
import Testing

/// Decoding is total: every malformed input below yields a precise `MacaroonError`, never a crash,
/// and huge claimed lengths are refused before anything is allocated.
@Suite struct MalformedInputTests {
    static let rootKey = Array("malformed corpus key".utf8)
    /// No location: the location is the one part a bit flip may change without breaking the signature.
    static let sample = Macaroon(rootKey: rootKey, identifier: [0, 0] + (0..<64).map { UInt8($0) })
        .addingFirstPartyCaveat("tool=weather").addingFirstPartyCaveat("calls=3")

    static func isTruncation(_ error: MacaroonError) -> Bool {
        if case .truncated = error { return true }
        return false
    }

    static func decodeError(_ bytes: [UInt8]) -> MacaroonError? {
        do { _ = try Macaroon(bytes: bytes); return nil } catch { return error }
    }

    @Test func everyTruncationOfBinaryFormatsIsReportedAsSuch() throws {
        let corpora = [Self.sample.serialize(), try Self.sample.serialize(.v1), try PublishedVectorTests.goV2Binary(),
                       try Base64.decode(PublishedVectorTests.libmacaroonsV1)]
        for bytes in corpora {
            #expect(Self.decodeError([]) == .empty)
            for length in 1..<bytes.count {
                let error = Self.decodeError(Array(bytes.prefix(length)))
                #expect(error.map(Self.isTruncation) == true, "prefix \(length) of \(bytes.count): \(String(describing: error))")
            }
            #expect(Self.decodeError(bytes) == nil)
        }
    }

    @Test func everyTruncationOfJSONIsAnError() throws {
        let json = try Self.sample.serialize(.v2j)
        for length in 1..<json.count {
            guard case .invalidJSON = Self.decodeError(Array(json.prefix(length))) else {
                Issue.record("JSON prefix \(length) was not reported as invalid JSON")
                continue
            }
        }
    }

    @Test func everyBitFlipFailsToDecodeOrToVerify() throws {
        for format in MacaroonFormat.allCases {
            let bytes = try Self.sample.serialize(format)
            for bit in 0..<(bytes.count * 8) {
                var flipped = bytes
                flipped[bit / 8] ^= 1 << (bit % 8)
                guard let macaroon = try? Macaroon(bytes: flipped) else { continue }
                // JSON has equivalent spellings (`\u001a` and `\u001A`); the binary formats have one.
                if format == .v2j, macaroon == Self.sample { continue }
                #expect(throws: MacaroonError.invalidSignature, "bit \(bit) of \(String(decoding: bytes, as: UTF8.self)) decoded and verified") {
                    try macaroon.verify(rootKey: Self.rootKey) { _ in }
                }
            }
        }
    }

    @Test func hugeLengthsAreRefusedBeforeAllocating() {
        // identifier field claiming 2^31, 2^32-1 and 65536 bytes, then a 6-byte varint, then a 65535-byte claim on 3 bytes
        #expect(Self.decodeError([2, 2, 0x80, 0x80, 0x80, 0x80, 0x08, 1, 2, 3]) == .fieldTooLarge(.identifier, length: 1 << 31, limit: 65_535, offset: 2))
        #expect(Self.decodeError([2, 2, 0xff, 0xff, 0xff, 0xff, 0x0f]) == .fieldTooLarge(.identifier, length: 0xffff_ffff, limit: 65_535, offset: 2))
        #expect(Self.decodeError([2, 2, 0x80, 0x80, 0x04]) == .fieldTooLarge(.identifier, length: 65_536, limit: 65_535, offset: 2))
        #expect(Self.decodeError([2, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) == .invalidVarint(offset: 2))
        #expect(Self.decodeError([2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]) == .invalidVarint(offset: 1))
        #expect(Self.decodeError([2, 2, 0xff, 0xff, 0x03, 1, 2, 3]) == .truncated(.identifier, offset: 5, needed: 65_532))
        // V1: a packet claiming 0xffff bytes with a few present
        #expect(Self.decodeError(Array("ffffidentifier x\n".utf8)) == .truncated(.packet, offset: 4, needed: 65_518))
    }

    @Test func structuralErrorsAreNamedPrecisely() {
        let sig = [UInt8](repeating: 9, count: 32)
        let tail: [UInt8] = [0, 6, 32] + sig
        let v1 = Self.v1
        let cases: [([UInt8], MacaroonError)] = [
            ([3, 0], .unknownFormat(firstByte: 3)),
            ([2, 3, 1, 0x61, 0], .unknownFieldType(3, offset: 1)),
            ([2, 0x87, 0x01, 1, 0x61, 0], .unknownFieldType(135, offset: 1)),
            ([2, 2, 1, 0x61, 1, 1, 0x62, 0] + tail, .fieldOutOfOrder(.location, offset: 4)),
            ([2, 2, 1, 0x61, 2, 1, 0x62, 0] + tail, .fieldOutOfOrder(.identifier, offset: 4)),
            ([2, 0, 0] + tail, .missingField(.identifier, offset: 2)),
            ([2, 1, 1, 0x61, 0, 0] + tail, .missingField(.identifier, offset: 5)),
            ([2, 2, 1, 0x61, 0, 1, 1, 0x62, 2, 1, 0x63, 0] + tail, .unexpectedField(.location, offset: 5)),
            ([2, 2, 1, 0x61, 0, 2, 1, 0x63, 6, 1, 0x64, 0] + tail, .unexpectedField(.signature, offset: 8)),
            ([2, 2, 1, 0x61, 0, 0, 6, 31] + sig.dropLast(), .invalidSignatureLength(31)),
            ([2, 2, 1, 0x61, 0, 0, 2, 1, 0x61], .missingField(.signature, offset: 6)),
            ([2, 2, 1, 0x61, 0] + tail + [0], .trailingBytes(offset: 40, count: 1)),
            ([2, 1, 2, 0xc3, 0x28, 2, 1, 0x61, 0] + tail, .invalidUTF8(.location, offset: 1)),
            (Array("0008cid\n".utf8), .invalidPacket(offset: 0, reason: "no key")),
            (Array("000clocation x".utf8) + [0x21], .invalidPacket(offset: 0, reason: "no terminating newline")),
            (Array("0003".utf8), .invalidPacket(offset: 0, reason: "length 3 is too small")),
            (v1("location", "x") + v1("vid", "x"), .missingField(.identifier, offset: 15)),
            (v1("location", "x") + v1("identifier", "") + v1("xyz", "x"), .invalidPacket(offset: 31, reason: "unexpected key \"xyz\"")),
            (v1("location", "x") + v1("identifier", "") + v1("vid", "x"), .unexpectedField(.verificationId, offset: 31)),
            (v1("location", "x") + v1("identifier", "") + v1("cid", "x") + v1("vid", "x") + v1("signature", "x"), .missingField(.location, offset: 51)),
            (Array("000Flocation x\n".utf8), .invalidPacket(offset: 0, reason: "length \"000F\" is not 4 hex digits")),
            (Array("0x0clocation\n".utf8), .invalidPacket(offset: 0, reason: "length \"0x0c\" is not 4 hex digits")),
        ]
        for (bytes, expected) in cases {
            #expect(Self.decodeError(bytes) == expected, "\(Hex.encode(bytes))")
        }
    }

    /// A well-formed V1 packet.
    static func v1(_ key: String, _ value: String) -> [UInt8] {
        let length = 4 + key.utf8.count + 1 + value.utf8.count + 1
        return Array((String(repeating: "0", count: 4 - String(length, radix: 16).count) + String(length, radix: 16) + key + " " + value + "\n").utf8)
    }

    @Test func malformedJSONIsNamedPrecisely() {
        let s64 = "\"s64\":\"0n2y_R8idg5MPa6BN-LY_B32wHQcGK7UuXJWv3jR9Vw\""
        let cases: [(String, MacaroonError)] = [
            ("{", .invalidJSON("not valid JSON")),
            ("{\"i\":\"a\"}", .invalidJSON("missing signature (\"s64\")")),
            ("{\"i\":\"a\",\"i64\":\"YQ\",\(s64)}", .invalidJSON("both \"i\" and \"i64\" in macaroon")),
            ("{\"i\":\"a\",\"x\":1,\(s64)}", .invalidJSON("unknown member \"x\" in macaroon")),
            ("{\"v\":3,\"i\":\"a\",\(s64)}", .invalidJSON("\"v\" must be 2")),
            ("{\"i\":7,\(s64)}", .invalidJSON("\"i\" in macaroon is not a string")),
            ("{\"i\":\"a\",\"s64\":\"AAAA\"}", .invalidSignatureLength(3)),
            ("{\"i\":\"a\",\"c\":{},\(s64)}", .invalidJSON("\"c\" is not an array")),
            ("{\"i\":\"a\",\"c\":[{\"i\":\"x\",\"l\":\"y\"}],\(s64)}", .invalidJSON("caveat 0 has a location but no verification id")),
            ("{\"i\":\"a\",\"c\":[[]],\(s64)}", .invalidJSON("caveat 0 is not an object")),
        ]
        for (text, expected) in cases {
            #expect(throws: expected, "\(text)") { try Macaroon(decoding: text) }
        }
        #expect(throws: MacaroonError.empty) { try Macaroon(decoding: " \n") }
        // Deep nesting is refused by the parser's depth limit, not by running out of stack.
        let deep = "{\"c\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(throws: MacaroonError.invalidJSON("not valid JSON")) { try Macaroon(decoding: deep) }
        #expect(throws: MacaroonError.invalidBase64(.invalidCharacter("*", offset: 3))) { try Macaroon(decoding: "not*base64") }
    }

    /// Random bytes (a fixed-seed generator, so failures reproduce) never crash the decoder.
    @Test func randomGarbageNeverCrashes() {
        var generator = SplitMix64(seed: 0x1402)
        let valid = Self.sample.serialize()
        for round in 0..<3000 {
            var bytes = (0..<Int.random(in: 0...120, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Keep the format byte plausible most of the time so the deep paths get exercised.
            if round % 3 == 0, !bytes.isEmpty { bytes[0] = 2 }
            if round % 3 == 1 { bytes = Array(valid.prefix(Int.random(in: 0...valid.count, using: &generator))) + bytes }
            if let macaroon = try? Macaroon(bytes: bytes) {
                #expect((try? Macaroon(bytes: macaroon.serialize())) == macaroon)
            }
        }
    }
}

/// A tiny deterministic generator (SplitMix64) for reproducible fuzzing.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
