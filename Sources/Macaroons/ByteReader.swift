/// A bounds-checked cursor over untrusted bytes: every read either succeeds or throws a
/// `MacaroonError` naming the offset, and nothing is allocated before its length is checked.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset >= bytes.count }

    /// The next byte, without consuming it.
    func peek() -> UInt8? { isAtEnd ? nil : bytes[offset] }

    /// An unsigned LEB128 varint of at most 5 bytes and 32 bits (what the V2 format writes).
    mutating func varint(_ field: MacaroonError.Field) throws(MacaroonError) -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard let byte = peek() else { throw .truncated(field, offset: start, needed: 1) }
            offset += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { break }
            shift += 7
            guard shift < 35 else { throw .invalidVarint(offset: start) }
        }
        guard value <= UInt64(UInt32.max) else { throw .invalidVarint(offset: start) }
        return value
    }

    /// The next `count` bytes.
    mutating func take(_ count: Int, for field: MacaroonError.Field) throws(MacaroonError) -> [UInt8] {
        Array(bytes[try skip(count, for: field)])
    }

    /// Steps over the next `count` bytes and returns where they are, so a caller copies only what it keeps.
    mutating func skip(_ count: Int, for field: MacaroonError.Field) throws(MacaroonError) -> Range<Int> {
        guard count <= remaining else { throw .truncated(field, offset: offset, needed: count - remaining) }
        defer { offset += count }
        return offset..<offset + count
    }
}
