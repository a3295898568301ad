import Crypto

/// An on-chain fallback address from an `f` field: a witness version and program,
/// or version 17 (pay-to-pubkey-hash) / 18 (pay-to-script-hash) with a 20-byte hash.
public struct Fallback: Sendable, Hashable {
    /// Witness version 0–16, or 17 (P2PKH) / 18 (P2SH).
    public var version: UInt8
    /// Witness program, or the 20-byte public-key or script hash.
    public var program: [UInt8]

    /// A fallback from its raw parts; `encode` checks the program length against the version.
    public init(version: UInt8, program: [UInt8]) {
        self.version = version
        self.program = program
    }

    /// The fallback for a wallet address on `network`: base58 P2PKH/P2SH, or segwit (bech32 v0, bech32m v1+).
    public init(address: String, network: Network) throws {
        if address.lowercased().hasPrefix(network.segwitPrefix + "1") {
            let (hrp, words, variant) = try Bech32.decodeAnyVariant(address)
            guard hrp == network.segwitPrefix, let version = words.first, version <= 16 else {
                throw Bolt11Error.invalidAddress("not a segwit address for \(network)")
            }
            guard variant == (version == 0 ? .bech32 : .bech32m) else {
                throw Bolt11Error.invalidAddress("witness version \(version) with the wrong checksum variant")
            }
            self.init(version: version, program: Words.toBytes(words.dropFirst()))
        } else {
            let (versionByte, payload) = try Base58Check.decode(address)
            switch versionByte {
            case network.p2pkhVersion: self.init(version: Self.pubkeyHashVersion, program: payload)
            case network.p2shVersion: self.init(version: Self.scriptHashVersion, program: payload)
            default: throw Bolt11Error.invalidAddress("version byte \(versionByte) is not \(network)'s P2PKH or P2SH")
            }
        }
        try validate()
    }

    static let pubkeyHashVersion: UInt8 = 17
    static let scriptHashVersion: UInt8 = 18

    /// Versions 19–31 are unknown: readers skip such fields.
    static func isKnownVersion(_ version: UInt8) -> Bool { version <= scriptHashVersion }

    /// Checks the program length its version allows (BIP-141 for witness programs).
    func validate() throws(Bolt11Error) {
        let valid = switch version {
        case Self.pubkeyHashVersion, Self.scriptHashVersion: program.count == 20
        case 0: program.count == 20 || program.count == 32
        default: (2...40).contains(program.count)
        }
        guard valid else {
            throw .malformedField(tag: "f", reason: "version \(version) cannot have a \(program.count)-byte program")
        }
    }

    /// The address as wallets show it on `network`: base58check for versions 17 and 18,
    /// segwit bech32 (v0) or bech32m (v1+) otherwise.
    public func address(on network: Network) -> String {
        switch version {
        case Self.pubkeyHashVersion: Base58Check.encode(version: network.p2pkhVersion, payload: program)
        case Self.scriptHashVersion: Base58Check.encode(version: network.p2shVersion, payload: program)
        default:
            Bech32.encode(
                hrp: network.segwitPrefix, words: [version] + Words.fromBytes(program),
                variant: version == 0 ? .bech32 : .bech32m
            )
        }
    }
}

/// Base58 with a 4-byte double-SHA-256 checksum, as legacy Bitcoin addresses use (write only).
enum Base58Check {
    private static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    private static func checksum(_ body: [UInt8]) -> [UInt8] {
        Array(Array(SHA256.hash(data: Array(SHA256.hash(data: body)))).prefix(4))
    }

    /// The version byte and payload of a base58check string; throws on bad characters or checksum.
    static func decode(_ text: String) throws(Bolt11Error) -> (version: UInt8, payload: [UInt8]) {
        var bytes = [UInt8]()   // little-endian base-256 digits
        for char in text.utf8 {
            guard let digit = alphabet.firstIndex(of: char) else { throw .invalidAddress("not base58: \(text)") }
            var carry = digit
            for i in bytes.indices {
                carry += Int(bytes[i]) * 58
                bytes[i] = UInt8(carry & 0xff)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xff))
                carry >>= 8
            }
        }
        let zeros = text.utf8.prefix(while: { $0 == alphabet[0] }).count
        let full = [UInt8](repeating: 0, count: zeros) + bytes.reversed()
        guard full.count >= 5 else { throw .invalidAddress("too short: \(text)") }
        let body = Array(full.dropLast(4))
        guard checksum(body) == Array(full.suffix(4)) else { throw .invalidAddress("bad checksum: \(text)") }
        return (body[0], Array(body.dropFirst()))
    }

    static func encode(version: UInt8, payload: [UInt8]) -> String {
        let body = [version] + payload
        let checksum = checksum(body)
        let bytes = body + checksum
        // Repeated division of the big-endian number by 58; each leading zero byte becomes a '1'.
        var digits = [UInt8]()
        for byte in bytes {
            var carry = Int(byte)
            for i in digits.indices {
                carry += Int(digits[i]) << 8
                digits[i] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        let zeros = bytes.prefix(while: { $0 == 0 }).count
        let text = [UInt8](repeating: alphabet[0], count: zeros) + digits.reversed().map { alphabet[Int($0)] }
        return String(decoding: text, as: UTF8.self)
    }
}
