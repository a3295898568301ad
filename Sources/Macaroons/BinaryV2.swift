/// The V2 binary format (libmacaroons doc/format.txt, go-macaroon marshal-v2.go):
///
///     version 0x02
///     [location 1] identifier 2 EOS
///     ( [location 1] identifier 2 [vid 4] EOS )*
///     EOS
///     signature 6
///
/// Each field is `type varint, length varint, data`; EOS is the single byte 0.
enum BinaryV2 {
    static let version: UInt8 = 2
    /// The largest field accepted on decode; real macaroon fields are far smaller.
    static let maximumFieldLength = 65_535

    enum FieldType: UInt64 {
        case endOfSection = 0, location = 1, identifier = 2, verificationId = 4, signature = 6

        var field: MacaroonError.Field {
            switch self {
            case .endOfSection: .endOfSection
            case .location: .location
            case .identifier: .identifier
            case .verificationId: .verificationId
            case .signature: .signature
            }
        }
    }

    // MARK: Encoding

    static func encode(_ macaroon: Macaroon) -> [UInt8] {
        var out: [UInt8] = [version]
        out.reserveCapacity(64 + macaroon.identifier.count + macaroon.caveats.reduce(0) { $0 + $1.identifier.count + 4 })
        // An empty location is omitted, as go-macaroon does (pymacaroons writes it empty).
        if !macaroon.location.isEmpty { appendField(.location, Array(macaroon.location.utf8), to: &out) }
        appendField(.identifier, macaroon.identifier, to: &out)
        out.append(0)
        for caveat in macaroon.caveats {
            if let location = caveat.location { appendField(.location, Array(location.utf8), to: &out) }
            appendField(.identifier, caveat.identifier, to: &out)
            if let vid = caveat.verificationId { appendField(.verificationId, vid, to: &out) }
            out.append(0)
        }
        out.append(0)
        appendField(.signature, macaroon.signature, to: &out)
        return out
    }

    private static func appendField(_ type: FieldType, _ data: [UInt8], to out: inout [UInt8]) {
        appendVarint(type.rawValue, to: &out)
        appendVarint(UInt64(data.count), to: &out)
        out.append(contentsOf: data)
    }

    private static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    // MARK: Decoding

    private struct Field {
        var type: FieldType
        var data: [UInt8]
        var offset: Int
    }

    /// Decodes a whole V2 macaroon; `bytes[0]` must be the version byte.
    static func decode(_ bytes: [UInt8]) throws(MacaroonError) -> Macaroon {
        var reader = ByteReader(bytes, offset: 1)
        let header = try section(&reader)
        var fields = header[...]
        var location = ""
        if let first = fields.first, first.type == .location {
            location = try utf8(first)
            fields = fields.dropFirst()
        }
        guard fields.count == 1, let id = fields.first, id.type == .identifier else {
            throw .missingField(.identifier, offset: fields.first?.offset ?? reader.offset)
        }
        var caveats: [Caveat] = []
        while true {
            let sectionStart = reader.offset
            let fields = try section(&reader)
            if fields.isEmpty { break }
            guard caveats.count < Macaroon.maximumCaveats else { throw .tooManyCaveats(limit: Macaroon.maximumCaveats) }
            caveats.append(try caveat(fields, at: sectionStart))
        }
        let signatureField = try field(&reader)
        guard signatureField.type == .signature else { throw .missingField(.signature, offset: signatureField.offset) }
        guard signatureField.data.count == 32 else { throw .invalidSignatureLength(signatureField.data.count) }
        guard reader.isAtEnd else { throw .trailingBytes(offset: reader.offset, count: reader.remaining) }
        return Macaroon(location: location, identifier: id.data, caveats: caveats, signature: signatureField.data)
    }

    private static func caveat(_ fields: [Field], at offset: Int) throws(MacaroonError) -> Caveat {
        var rest = fields[...]
        var location: String?
        if let first = rest.first, first.type == .location {
            location = try utf8(first)
            rest = rest.dropFirst()
        }
        guard let id = rest.first, id.type == .identifier else {
            throw .missingField(.identifier, offset: rest.first?.offset ?? offset)
        }
        rest = rest.dropFirst()
        guard let vid = rest.first else {
            // go-macaroon and pymacaroons refuse this too: only third-party caveats have a location.
            if location != nil { throw .unexpectedField(.location, offset: fields[0].offset) }
            return Caveat(identifier: id.data)
        }
        guard vid.type == .verificationId, rest.count == 1 else { throw .unexpectedField(vid.type.field, offset: vid.offset) }
        return Caveat(identifier: id.data, verificationId: vid.data, location: location)
    }

    /// Fields up to the next EOS, in strictly increasing type order.
    private static func section(_ reader: inout ByteReader) throws(MacaroonError) -> [Field] {
        var fields: [Field] = []
        while true {
            let next = try field(&reader)
            if next.type == .endOfSection { return fields }
            if let last = fields.last, next.type.rawValue <= last.type.rawValue {
                throw .fieldOutOfOrder(next.type.field, offset: next.offset)
            }
            guard next.type != .signature else { throw .unexpectedField(.signature, offset: next.offset) }
            fields.append(next)
        }
    }

    private static func field(_ reader: inout ByteReader) throws(MacaroonError) -> Field {
        let start = reader.offset
        let rawType = try reader.varint(.fieldType)
        guard let type = FieldType(rawValue: rawType) else { throw .unknownFieldType(rawType, offset: start) }
        if type == .endOfSection { return Field(type: type, data: [], offset: start) }
        let lengthOffset = reader.offset
        let length = try reader.varint(.fieldLength)
        guard length <= UInt64(maximumFieldLength) else {
            throw .fieldTooLarge(type.field, length: length, limit: maximumFieldLength, offset: lengthOffset)
        }
        let data = try reader.take(Int(length), for: type.field)
        return Field(type: type, data: data, offset: start)
    }

    private static func utf8(_ field: Field) throws(MacaroonError) -> String {
        guard let text = String(validating: field.data, as: UTF8.self) else { throw .invalidUTF8(field.type.field, offset: field.offset) }
        return text
    }
}
