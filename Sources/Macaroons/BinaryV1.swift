/// libmacaroons' V1 format: a sequence of packets `LLLLkey value\n`, where `LLLL` is the whole
/// packet's length in 4 lower-case hex digits. Order: location, identifier,
/// (cid [vid cl])*, signature (32 raw bytes).
enum BinaryV1 {
    /// The longest packet four hex digits can describe.
    static let maximumPacketLength = 0xffff

    // MARK: Encoding

    static func encode(_ macaroon: Macaroon) throws(MacaroonError) -> [UInt8] {
        var out: [UInt8] = []
        try append("location", Array(macaroon.location.utf8), to: &out)
        try append("identifier", macaroon.identifier, to: &out)
        for caveat in macaroon.caveats {
            try append("cid", caveat.identifier, to: &out)
            if let vid = caveat.verificationId {
                try append("vid", vid, to: &out)
                try append("cl", Array((caveat.location ?? "").utf8), to: &out)
            }
        }
        try append("signature", macaroon.signature, to: &out)
        return out
    }

    private static func append(_ key: String, _ value: [UInt8], to out: inout [UInt8]) throws(MacaroonError) {
        let length = 4 + key.utf8.count + 1 + value.count + 1
        guard length <= maximumPacketLength else {
            throw .unencodable("V1 \(key) packet would be \(length) bytes; the format's limit is \(maximumPacketLength)")
        }
        let digits = Array("0123456789abcdef".utf8)
        for shift in stride(from: 12, through: 0, by: -4) { out.append(digits[(length >> shift) & 0xf]) }
        out.append(contentsOf: key.utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: value)
        out.append(UInt8(ascii: "\n"))
    }

    // MARK: Decoding

    private struct Packet {
        var key: String
        var value: [UInt8]
        var offset: Int
    }

    static func decode(_ bytes: [UInt8]) throws(MacaroonError) -> Macaroon {
        var reader = ByteReader(bytes)
        let location = try utf8(try expect("location", .location, &reader))
        let identifier = try expect("identifier", .identifier, &reader).value
        var caveats: [Caveat] = []
        while true {
            let next = try packet(&reader)
            switch next.key {
            case "cid":
                guard caveats.count < Macaroon.maximumCaveats else { throw .tooManyCaveats(limit: Macaroon.maximumCaveats) }
                caveats.append(Caveat(identifier: next.value))
            case "vid":
                guard let last = caveats.indices.last, caveats[last].verificationId == nil else {
                    throw .unexpectedField(.verificationId, offset: next.offset)
                }
                caveats[last].verificationId = next.value
                // libmacaroons always follows a vid with the caveat's location.
                caveats[last].location = try utf8(try expect("cl", .location, &reader))
            case "signature":
                guard next.value.count == 32 else { throw .invalidSignatureLength(next.value.count) }
                guard reader.isAtEnd else { throw .trailingBytes(offset: reader.offset, count: reader.remaining) }
                return Macaroon(location: location, identifier: identifier, caveats: caveats, signature: next.value)
            default:
                throw .invalidPacket(offset: next.offset, reason: "unexpected key \(String(reflecting: next.key))")
            }
        }
    }

    private static func expect(_ key: String, _ field: MacaroonError.Field, _ reader: inout ByteReader) throws(MacaroonError) -> Packet {
        let next = try packet(&reader)
        guard next.key == key else { throw .missingField(field, offset: next.offset) }
        return next
    }

    private static func packet(_ reader: inout ByteReader) throws(MacaroonError) -> Packet {
        let start = reader.offset
        guard !reader.isAtEnd else { throw .truncated(.packetHeader, offset: start, needed: 4) }
        let header = try reader.take(4, for: .packetHeader)
        var length = 0
        for digit in header {
            guard let value = hexValue(digit) else {
                throw .invalidPacket(offset: start, reason: "length \(String(decoding: header, as: UTF8.self).debugDescription) is not 4 hex digits")
            }
            length = length << 4 | value
        }
        // The smallest packet is the header, a one-byte key, a space and a newline.
        guard length >= 7 else { throw .invalidPacket(offset: start, reason: "length \(length) is too small") }
        let body = try reader.take(length - 4, for: .packet)
        guard body.last == UInt8(ascii: "\n") else { throw .invalidPacket(offset: start, reason: "no terminating newline") }
        guard let space = body.firstIndex(of: UInt8(ascii: " ")), space > 0 else {
            throw .invalidPacket(offset: start, reason: "no key")
        }
        let key = String(decoding: body[..<space], as: UTF8.self)
        return Packet(key: key, value: Array(body[(space + 1)..<(body.count - 1)]), offset: start)
    }

    /// Lower-case only, as every encoder writes and go-macaroon insists (one spelling per packet).
    private static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(c - UInt8(ascii: "a") + 10)
        default: nil
        }
    }

    private static func utf8(_ packet: Packet) throws(MacaroonError) -> String {
        guard let text = String(validating: packet.value, as: UTF8.self) else { throw .invalidUTF8(.location, offset: packet.offset) }
        return text
    }
}
