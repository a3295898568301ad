@testable import Bolt11

/// Hand-built, correctly signed and checksummed invoices with arbitrary field words,
/// to reach each check of the decoder past the bech32 and signature layers.
enum Crafted {
    static let key = try! NodeKey(privateKey: [UInt8](repeating: 0x42, count: 32))

    static func field(_ kind: FieldKind, _ words: [UInt8]) -> (UInt8, [UInt8]) { (kind.rawValue, words) }
    static func field(_ kind: FieldKind, bytes: [UInt8]) -> (UInt8, [UInt8]) { (kind.rawValue, Words.fromBytes(bytes)) }

    static let paymentHash = field(.paymentHash, bytes: [UInt8](repeating: 1, count: 32))
    static let paymentSecret = field(.paymentSecret, bytes: [UInt8](repeating: 2, count: 32))
    static let description = field(.description, bytes: Array("crafted".utf8))
    /// The fields every valid invoice needs.
    static let required = [paymentHash, paymentSecret, description]

    /// Timestamp, then each field as type, 10-bit length, data; signed by `key`.
    static func invoice(_ fields: [(UInt8, [UInt8])], hrp: String = "lnbcrt10u") -> String {
        var words = Words.fromInteger(1_700_000_000, count: 7)
        for (type, data) in fields {
            words += [type, UInt8(data.count >> 5), UInt8(data.count & 31)] + data
        }
        return try! Invoice.signed(hrp: hrp, data: words, with: key)
    }

    /// `text` with its data words changed by `edit`, and a fresh (valid) checksum.
    static func rechecksummed(_ text: String, _ edit: (inout [UInt8]) -> Void) -> String {
        var (hrp, words) = try! Bech32.decode(text)
        edit(&words)
        return Bech32.encode(hrp: hrp, words: words)
    }
}
