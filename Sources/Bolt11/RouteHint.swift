/// One private route from a public node to the payee: the entries of one `r` field, in forward order.
public struct RouteHint: Sendable, Hashable {
    /// Channels from a public node to the payee, in order.
    public var hops: [RouteHop]
    /// A route from its hops (at least one to encode).
    public init(hops: [RouteHop]) { self.hops = hops }

    /// Bytes of one encoded hop: pubkey 33, short channel id 8, fee base 4, fee rate 4, cltv delta 2.
    static let hopSize = 51

    init(bytes: [UInt8]) throws(Bolt11Error) {
        guard !bytes.isEmpty, bytes.count % Self.hopSize == 0 else {
            throw .malformedField(tag: "r", reason: "\(bytes.count) bytes is not a whole number of 51-byte hops")
        }
        hops = stride(from: 0, to: bytes.count, by: Self.hopSize).map { start in
            RouteHop(bytes: bytes[start..<start + Self.hopSize])
        }
    }

    var bytes: [UInt8] { hops.flatMap(\.bytes) }
}

/// One channel of a route hint, with the fees and delta of its `channel_update` (BOLT 7).
public struct RouteHop: Sendable, Hashable {
    /// Node id (33-byte compressed key) at the start of the channel.
    public var publicKey: [UInt8]
    /// The channel this hop uses.
    public var shortChannelId: ShortChannelID
    /// Fixed fee for forwarding, in millisatoshis.
    public var feeBaseMsat: UInt32
    /// Proportional fee, in millionths of the amount forwarded.
    public var feeProportionalMillionths: UInt32
    /// Blocks the hop adds to the HTLC timeout.
    public var cltvExpiryDelta: UInt16

    /// A hop from its fields as `channel_update` carries them.
    public init(publicKey: [UInt8], shortChannelId: ShortChannelID, feeBaseMsat: UInt32,
                feeProportionalMillionths: UInt32, cltvExpiryDelta: UInt16) {
        self.publicKey = publicKey
        self.shortChannelId = shortChannelId
        self.feeBaseMsat = feeBaseMsat
        self.feeProportionalMillionths = feeProportionalMillionths
        self.cltvExpiryDelta = cltvExpiryDelta
    }

    init(bytes: ArraySlice<UInt8>) {
        let b = Array(bytes)
        func integer(_ range: Range<Int>) -> UInt64 { b[range].reduce(0) { $0 << 8 | UInt64($1) } }
        publicKey = Array(b[0..<33])
        shortChannelId = ShortChannelID(rawValue: integer(33..<41))
        feeBaseMsat = UInt32(integer(41..<45))
        feeProportionalMillionths = UInt32(integer(45..<49))
        cltvExpiryDelta = UInt16(integer(49..<51))
    }

    var bytes: [UInt8] {
        func bigEndian(_ value: UInt64, _ count: Int) -> [UInt8] {
            (0..<count).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * (count - 1 - $0))) }
        }
        return publicKey + bigEndian(shortChannelId.rawValue, 8) + bigEndian(UInt64(feeBaseMsat), 4)
            + bigEndian(UInt64(feeProportionalMillionths), 4) + bigEndian(UInt64(cltvExpiryDelta), 2)
    }
}

/// A channel's position in the chain: block height, transaction index, output index (`589390x3312x1`).
public struct ShortChannelID: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
    /// The 64-bit wire form: 3 bytes block, 3 bytes transaction, 2 bytes output.
    public var rawValue: UInt64
    /// An id from its 64-bit wire form.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// An id from its parts; block and transaction are truncated to 24 bits.
    public init(block: UInt32, transaction: UInt32, output: UInt16) {
        rawValue = UInt64(block & 0xff_ffff) << 40 | UInt64(transaction & 0xff_ffff) << 16 | UInt64(output)
    }

    /// Block height of the funding transaction.
    public var block: UInt32 { UInt32(rawValue >> 40) }
    /// Index of the funding transaction in its block.
    public var transaction: UInt32 { UInt32((rawValue >> 16) & 0xff_ffff) }
    /// Index of the funding output.
    public var output: UInt16 { UInt16(rawValue & 0xffff) }

    /// The usual `BLOCKxTXxOUTPUT` notation.
    public var description: String { "\(block)x\(transaction)x\(output)" }
}
