import ByteEncoding
import Crypto
import Foundation
import LightningBackends
import Testing

/// NIP-44 v2 against every vector of paulmillr/nip44's `nip44.vectors.json`.
@Suite struct NIP44VectorTests {
    struct Vectors: Decodable {
        struct V2: Decodable { let valid: Valid; let invalid: Invalid }
        struct Valid: Decodable {
            let get_conversation_key: [ConversationKey]
            let get_message_keys: MessageKeys
            let calc_padded_len: [[Int]]
            let encrypt_decrypt: [EncryptDecrypt]
            let encrypt_decrypt_long_msg: [LongMessage]
        }
        struct Invalid: Decodable {
            let encrypt_msg_lengths: [Int]
            let get_conversation_key: [ConversationKey]
            let decrypt: [Decrypt]
        }
        struct ConversationKey: Decodable { let sec1: String; let pub2: String; let conversation_key: String?; let note: String? }
        struct MessageKeys: Decodable {
            let conversation_key: String
            let keys: [Keys]
            struct Keys: Decodable { let nonce: String; let chacha_key: String; let chacha_nonce: String; let hmac_key: String }
        }
        struct EncryptDecrypt: Decodable { let sec1: String; let sec2: String; let conversation_key: String; let nonce: String; let plaintext: String; let payload: String }
        struct LongMessage: Decodable { let conversation_key: String; let nonce: String; let pattern: String; let `repeat`: Int; let plaintext_sha256: String; let payload_sha256: String }
        struct Decrypt: Decodable { let conversation_key: String; let nonce: String; let plaintext: String; let payload: String; let note: String }
        let v2: V2
    }

    static let vectors: Vectors.V2 = try! JSONDecoder().decode(Vectors.self, from: VectorFile.data("nip44.vectors.json")).v2

    private func hex(_ text: String) throws -> [UInt8] { try Hex.decode(text) }

    @Test func conversationKeys() throws {
        #expect(Self.vectors.valid.get_conversation_key.count == 35)
        for vector in Self.vectors.valid.get_conversation_key {
            let key = try NIP44.conversationKey(secretKey: hex(vector.sec1), publicKey: hex(vector.pub2))
            #expect(Hex.encode(key) == vector.conversation_key, "\(vector.sec1)")
        }
    }

    @Test func invalidConversationKeysAreRefused() throws {
        #expect(Self.vectors.invalid.get_conversation_key.count == 8)
        for vector in Self.vectors.invalid.get_conversation_key {
            #expect(throws: NostrError.self, "\(vector.note ?? "")") {
                try NIP44.conversationKey(secretKey: hex(vector.sec1), publicKey: hex(vector.pub2))
            }
        }
    }

    @Test func messageKeys() throws {
        let vectors = Self.vectors.valid.get_message_keys
        #expect(vectors.keys.count == 32)
        for vector in vectors.keys {
            let keys = try NIP44.messageKeys(conversationKey: hex(vectors.conversation_key), nonce: hex(vector.nonce))
            #expect(Hex.encode(keys.chachaKey) == vector.chacha_key)
            #expect(Hex.encode(keys.chachaNonce) == vector.chacha_nonce)
            #expect(Hex.encode(keys.hmacKey) == vector.hmac_key)
        }
    }

    @Test func paddedLengths() {
        #expect(Self.vectors.valid.calc_padded_len.count == 24)
        for pair in Self.vectors.valid.calc_padded_len {
            #expect(NIP44.paddedLength(pair[0]) == pair[1], "\(pair[0])")
        }
    }

    @Test func encryptAndDecrypt() throws {
        #expect(Self.vectors.valid.encrypt_decrypt.count == 10)
        for vector in Self.vectors.valid.encrypt_decrypt {
            let secondKey = try NostrSecretKey(secret: hex(vector.sec2))
            let key = try NIP44.conversationKey(secretKey: hex(vector.sec1), publicKey: secondKey.publicKey)
            #expect(Hex.encode(key) == vector.conversation_key)
            // Symmetric: the other side derives the same key.
            let firstKey = try NostrSecretKey(secret: hex(vector.sec1))
            #expect(try NIP44.conversationKey(secretKey: secondKey.secret, publicKey: firstKey.publicKey) == key)
            #expect(try NIP44.encrypt(vector.plaintext, conversationKey: key, nonce: hex(vector.nonce)) == vector.payload)
            #expect(try NIP44.decrypt(vector.payload, conversationKey: key) == vector.plaintext)
        }
    }

    @Test func longMessages() throws {
        #expect(Self.vectors.valid.encrypt_decrypt_long_msg.count == 3)
        for vector in Self.vectors.valid.encrypt_decrypt_long_msg {
            let plaintext = String(repeating: vector.pattern, count: vector.`repeat`)
            #expect(Hex.encode(SHA256.hash(data: Array(plaintext.utf8))) == vector.plaintext_sha256)
            let payload = try NIP44.encrypt(plaintext, conversationKey: hex(vector.conversation_key), nonce: hex(vector.nonce))
            #expect(Hex.encode(SHA256.hash(data: Array(payload.utf8))) == vector.payload_sha256)
            #expect(try NIP44.decrypt(payload, conversationKey: hex(vector.conversation_key)) == plaintext)
        }
    }

    @Test func invalidPayloadsAreRefused() throws {
        #expect(Self.vectors.invalid.decrypt.count == 12)
        for vector in Self.vectors.invalid.decrypt {
            #expect(throws: NostrError.self, "\(vector.note)") {
                try NIP44.decrypt(vector.payload, conversationKey: hex(vector.conversation_key))
            }
        }
    }

    @Test func plaintextLengthsOutOfRangeAreRefused() throws {
        #expect(Self.vectors.invalid.encrypt_msg_lengths == [0, 65536, 100000, 10000000])
        let key = [UInt8](repeating: 7, count: 32)
        for length in Self.vectors.invalid.encrypt_msg_lengths {
            #expect(throws: NostrError.invalidPlaintextLength(length)) {
                try NIP44.encrypt(String(repeating: "a", count: length), conversationKey: key)
            }
        }
    }

    @Test func aTamperedPayloadFailsItsMAC() throws {
        let key = [UInt8](repeating: 9, count: 32)
        var bytes = [UInt8](Data(base64Encoded: try NIP44.encrypt("pay_invoice", conversationKey: key))!)
        bytes[40] ^= 1
        #expect(throws: NostrError.invalidPayload("MAC does not match")) {
            try NIP44.decrypt(Data(bytes).base64EncodedString(), conversationKey: key)
        }
    }
}
