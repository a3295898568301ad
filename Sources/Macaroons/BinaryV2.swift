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

    /// One field as read: its type, where its data lies in the input, and where the field starts.
    /// Data is copied out only for the fields a macaroon keeps.
    private struct Field {
        var type: FieldType
        var data: Range<Int>
        var offset: Int
    }

    /// The fields of one section by type. Types must strictly increase and a signature is refused,
    /// so a section holds at most a location, an identifier and a verification id: no array needed.
    private struct Section {
        var location: Field?
        var identifier: Field?
        var verificationId: Field?
        var isEmpty: Bool { location == nil && identifier == nil && verificationId == nil }
    }

    /// Decodes a whole V2 macaroon; `bytes[0]` must be the version byte.
    static func decode(_ bytes: [UInt8]) throws(MacaroonError) -> Macaroon {
        var reader = ByteReader(bytes, offset: 1)
        let header = try section(&reader)
        let location = try header.location.map { field throws(MacaroonError) in try utf8(field, in: bytes) } ?? ""
        guard let id = header.identifier, header.verificationId == nil else {
            throw .missingField(.identifier, offset: (header.identifier ?? header.verificationId)?.offset ?? reader.offset)
        }
        var caveats: [Caveat] = []
        // Room for a typical macaroon's caveats up front (a section is at least 3 bytes), instead of
        // regrowing the array at 1, 2 and 4; more than 8 still grow as usual.
        caveats.reserveCapacity(min(8, reader.remaining / 3))
        while true {
            let sectionStart = reader.offset
            let fields = try section(&reader)
            if fields.isEmpty { break }
            guard caveats.count < Macaroon.maximumCaveats else { throw .tooManyCaveats(limit: Macaroon.maximumCaveats) }
            caveats.append(try caveat(fields, at: sectionStart, in: bytes))
        }
        let signatureField = try field(&reader)
        guard signatureField.type == .signature else { throw .missingField(.signature, offset: signatureField.offset) }
        guard signatureField.data.count == 32 else { throw .invalidSignatureLength(signatureField.data.count) }
        guard reader.isAtEnd else { throw .trailingBytes(offset: reader.offset, count: reader.remaining) }
        return Macaroon(location: location, identifier: Array(bytes[id.data]), caveats: caveats, signature: Array(bytes[signatureField.data]))
    }

    private static func caveat(_ fields: Section, at offset: Int, in bytes: [UInt8]) throws(MacaroonError) -> Caveat {
        let location = try fields.location.map { field throws(MacaroonError) in try utf8(field, in: bytes) }
        guard let id = fields.identifier else {
            throw .missingField(.identifier, offset: fields.verificationId?.offset ?? offset)
        }
        guard let vid = fields.verificationId else {
            // go-macaroon and pymacaroons refuse this too: only third-party caveats have a location.
            if let field = fields.location { throw .unexpectedField(.location, offset: field.offset) }
            return Caveat(identifier: Array(bytes[id.data]))
        }
        return Caveat(identifier: Array(bytes[id.data]), verificationId: Array(bytes[vid.data]), location: location)
    }

    /// Fields up to the next EOS, in strictly increasing type order.
    private static func section(_ reader: inout ByteReader) throws(MacaroonError) -> Section {
        var section = Section()
        var lastType: FieldType?
        while true {
            let next = try field(&reader)
            switch next.type {
            case .endOfSection: return section
            case _ where next.type.rawValue <= lastType?.rawValue ?? 0:
                throw .fieldOutOfOrder(next.type.field, offset: next.offset)
            case .signature: throw .unexpectedField(.signature, offset: next.offset)
            case .location: section.location = next
            case .identifier: section.identifier = next
            case .verificationId: section.verificationId = next
            }
            lastType = next.type
        }
    }

    private static func field(_ reader: inout ByteReader) throws(MacaroonError) -> Field {
        let start = reader.offset
        let rawType = try reader.varint(.fieldType)
        guard let type = FieldType(rawValue: rawType) else { throw .unknownFieldType(rawType, offset: start) }
        if type == .endOfSection { return Field(type: type, data: start..<start, offset: start) }
        let lengthOffset = reader.offset
        let length = try reader.varint(.fieldLength)
        guard length <= UInt64(maximumFieldLength) else {
            throw .fieldTooLarge(type.field, length: length, limit: maximumFieldLength, offset: lengthOffset)
        }
        let data = try reader.skip(Int(length), for: type.field)
        return Field(type: type, data: data, offset: start)
    }

    private static func utf8(_ field: Field, in bytes: [UInt8]) throws(MacaroonError) -> String {
        guard let text = String(validating: bytes[field.data], as: UTF8.self) else { throw .invalidUTF8(field.type.field, offset: field.offset) }
        return text
    }
}
