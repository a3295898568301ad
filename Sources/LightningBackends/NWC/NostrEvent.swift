import ByteEncoding
import Crypto
import Foundation

/// A signed Nostr event (NIP-01): its id is the SHA-256 of the canonical serialization, its
/// signature a BIP-340 signature of the id by `pubkey`.
public struct NostrEvent: Sendable, Equatable, Codable {
    /// 32-byte lowercase hex SHA-256 of the serialized event.
    public let id: String
    /// 32-byte lowercase hex x-only public key of the author.
    public let pubkey: String
    /// Unix time in seconds.
    public let createdAt: Int
    /// What the event is (23194 an NWC request, 23195 its response, …).
    public let kind: Int
    /// Arrays of strings, the first naming the tag (`p`, `e`, `encryption`, `expiration`).
    public let tags: [[String]]
    /// The payload: for NWC an encrypted request or response.
    public let content: String
    /// 64-byte lowercase hex BIP-340 signature of the id.
    public let sig: String

    /// Builds and signs an event by `key`.
    public init(kind: Int, tags: [[String]], content: String, createdAt: Int, key: NostrSecretKey) {
        let pubkey = key.publicKeyHex
        let digest = Self.digest(pubkey: pubkey, createdAt: createdAt, kind: kind, tags: tags, content: content)
        self.id = Hex.encode(digest)
        self.pubkey = pubkey
        self.createdAt = createdAt
        self.kind = kind
        self.tags = tags
        self.content = content
        self.sig = Hex.encode(key.sign(digest))
    }

    enum CodingKeys: String, CodingKey {
        case id, pubkey, createdAt = "created_at", kind, tags, content, sig
    }

    /// The first value of the first tag named `name`, e.g. the `p` of a request.
    public func tagValue(_ name: String) -> String? {
        tags.first { $0.first == name && $0.count >= 2 }?[1]
    }

    /// Checks that the id is the hash of the content and the signature is the author's; the
    /// check NIP-44 requires before decrypting anything.
    public func verify() throws(NostrError) {
        guard let author = try? Hex.decode(pubkey), author.count == 32, pubkey == pubkey.lowercased() else {
            throw .invalidEvent("pubkey is not 32-byte lowercase hex")
        }
        let digest = Self.digest(pubkey: pubkey, createdAt: createdAt, kind: kind, tags: tags, content: content)
        guard Hex.encode(digest) == id else { throw .invalidEvent("id is not the hash of the event") }
        guard let signature = try? Hex.decode(sig), Schnorr.isValid(signature: signature, message: digest, publicKey: author) else {
            throw .invalidEvent("signature does not verify")
        }
    }

    /// The event as the JSON object relays exchange.
    public var json: String {
        let tagList = tags.map { "[" + $0.map(NostrJSON.string).joined(separator: ",") + "]" }.joined(separator: ",")
        return #"{"id":\#(NostrJSON.string(id)),"pubkey":\#(NostrJSON.string(pubkey)),"created_at":\#(createdAt),"kind":\#(kind),"#
            + #""tags":[\#(tagList)],"content":\#(NostrJSON.string(content)),"sig":\#(NostrJSON.string(sig))}"#
    }

    /// SHA-256 of `[0,pubkey,created_at,kind,tags,content]` serialized as NIP-01 prescribes.
    public static func digest(pubkey: String, createdAt: Int, kind: Int, tags: [[String]], content: String) -> [UInt8] {
        let tagList = tags.map { "[" + $0.map(NostrJSON.string).joined(separator: ",") + "]" }.joined(separator: ",")
        let serialized = "[0,\(NostrJSON.string(pubkey)),\(createdAt),\(kind),[\(tagList)],\(NostrJSON.string(content))]"
        return Array(SHA256.hash(data: Array(serialized.utf8)))
    }
}

/// JSON strings written the way NIP-01 requires for event ids: no whitespace, UTF-8 verbatim,
/// only `\n \" \\ \r \t \b \f` escaped (other control characters as `\u00XX`, as JSON requires
/// and JavaScript's JSON.stringify writes them).
enum NostrJSON {
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
