import ByteEncoding
import Crypto
import Foundation
import LightningBackends
import TestSupport
import Testing

/// NIP-01 event ids and signatures, and NIP-04 payloads: our own checks, then against independent
/// code: aionostr (PyPI, the library `nostr-relay` is built on) for ids and signatures, and NIP-04
/// as its spec writes it on PyPI's `cryptography` (AES-CBC) and `coincurve` (the ECDH point).
/// (aionostr's own NIP-04 hashes the ECDH output, unlike the spec, so it is no reference for it.)
@Suite struct NostrEventTests {
    /// Every character NIP-01 escapes, a control character, non-ASCII and a slash (never escaped).
    static let trickyContent = "line\nquote\" back\\slash\r tab\t bs\u{08} ff\u{0C} ctl\u{01} é 🦄 a/b"

    @Test func idIsTheHashOfTheCanonicalSerialization() throws {
        let key = try NostrSecretKey(secret: [UInt8](repeating: 0, count: 31) + [3])
        let event = NostrEvent(kind: 1, tags: [["p", key.publicKeyHex], ["t", "x\"y"]], content: "a\"b\nc", createdAt: 1_700_000_000, key: key)
        // The serialization NIP-01 prescribes, spelled out by hand.
        let serialized = #"[0,"\#(key.publicKeyHex)",1700000000,1,[["p","\#(key.publicKeyHex)"],["t","x\"y"]],"a\"b\nc"]"#
        #expect(event.id == Hex.encode(SHA256Digest(serialized)))
        try event.verify()
    }

    @Test func tamperedEventsFailVerification() throws {
        let key = NostrSecretKey.random()
        let event = NostrEvent(kind: 23194, tags: [["p", key.publicKeyHex]], content: "x", createdAt: 1_700_000_000, key: key)
        let json = try JSONSerialization.jsonObject(with: Data(event.json.utf8)) as! [String: Any]
        var changedContent = json
        changedContent["content"] = "y"
        var otherAuthor = json
        otherAuthor["pubkey"] = NostrSecretKey.random().publicKeyHex
        for tampered in [changedContent, otherAuthor] {
            let decoded = try JSONDecoder().decode(NostrEvent.self, from: JSONSerialization.data(withJSONObject: tampered))
            #expect(throws: NostrError.self) { try decoded.verify() }
        }
        // Same id, another signature: the id checks out, the signature does not.
        var forgedSignature = json
        forgedSignature["sig"] = String(repeating: "ab", count: 64)
        let forged = try JSONDecoder().decode(NostrEvent.self, from: JSONSerialization.data(withJSONObject: forgedSignature))
        #expect(throws: NostrError.invalidEvent("signature does not verify")) { try forged.verify() }
    }

    @Test func eventJSONRoundTrips() throws {
        let event = NostrEvent(kind: 1, tags: [["e", "1"]], content: Self.trickyContent, createdAt: 1, key: .random())
        #expect(try JSONDecoder().decode(NostrEvent.self, from: Data(event.json.utf8)) == event)
    }

    @Test func nip04RoundTripsAndRefusesAWrongKey() throws {
        let alice = NostrSecretKey.random(), bob = NostrSecretKey.random()
        let payload = try NIP04.encrypt(Self.trickyContent, sharedKey: NIP04.sharedKey(secretKey: alice.secret, publicKey: bob.publicKey))
        #expect(try NIP04.decrypt(payload, sharedKey: NIP04.sharedKey(secretKey: bob.secret, publicKey: alice.publicKey)) == Self.trickyContent)
        let eve = NostrSecretKey.random()
        #expect(throws: NostrError.self) {
            try NIP04.decrypt(payload, sharedKey: NIP04.sharedKey(secretKey: eve.secret, publicKey: alice.publicKey))
        }
        for garbage in ["", "abc", "abc?iv=", "AAAA?iv=AAAA", payload + "?iv=x"] {
            #expect(throws: NostrError.self, "\(garbage)") { try NIP04.decrypt(garbage, sharedKey: [UInt8](repeating: 1, count: 32)) }
        }
    }

    /// aionostr computes the same id for our event and accepts our signature; NIP-04 works both ways.
    @Test func independentImplementationsAgree() throws {
        let ours = NostrSecretKey.random()
        let theirs = NostrSecretKey.random()
        let event = NostrEvent(kind: 23194, tags: [["p", theirs.publicKeyHex], ["encryption", "nip44_v2"]], content: Self.trickyContent, createdAt: 1_700_000_000, key: ours)
        let ourPayload = try NIP04.encrypt(Self.trickyContent, sharedKey: NIP04.sharedKey(secretKey: ours.secret, publicKey: theirs.publicKey))
        let peer = """
            import base64, json, os, sys
            import coincurve
            from aionostr.event import Event
            from cryptography.hazmat.primitives import padding
            from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
            data = json.load(sys.stdin)
            e = data["event"]
            event = Event(pubkey=e["pubkey"], content=e["content"], created_at=e["created_at"], kind=e["kind"], tags=e["tags"], id=e["id"], sig=e["sig"])
            # NIP-04: the key is the x coordinate of secret * pubkey, unhashed.
            point = coincurve.PublicKey(bytes.fromhex("02" + e["pubkey"])).multiply(bytes.fromhex(data["secret"]))
            key = point.format(compressed=True)[1:33]
            body, iv = data["payload"].split("?iv=")
            decryptor = Cipher(algorithms.AES(key), modes.CBC(base64.b64decode(iv))).decryptor()
            unpadder = padding.PKCS7(128).unpadder()
            plain = unpadder.update(decryptor.update(base64.b64decode(body)) + decryptor.finalize()) + unpadder.finalize()
            padder = padding.PKCS7(128).padder()
            reply_iv = os.urandom(16)
            encryptor = Cipher(algorithms.AES(key), modes.CBC(reply_iv)).encryptor()
            reply = encryptor.update(padder.update(data["reply"].encode()) + padder.finalize()) + encryptor.finalize()
            print(json.dumps({
                "id": event.compute_id(e["pubkey"], e["created_at"], e["kind"], e["tags"], e["content"]),
                "verified": event.verify(),
                "decrypted": plain.decode(),
                "payload": base64.b64encode(reply).decode() + "?iv=" + base64.b64encode(reply_iv).decode(),
            }))
            """
        let input = #"{"event":\#(event.json),"secret":"\#(Hex.encode(theirs.secret))","payload":"\#(ourPayload)","reply":"r\u00e9ponse \ud83e\udd84"}"#
        let output = try Subprocess.output("python3", ["-c", peer], input: input)
        let answer = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any]
        #expect(answer["id"] as? String == event.id)
        #expect(answer["verified"] as? Bool == true)
        #expect(answer["decrypted"] as? String == Self.trickyContent)
        let reply = try NIP04.decrypt(answer["payload"] as! String, sharedKey: NIP04.sharedKey(secretKey: ours.secret, publicKey: theirs.publicKey))
        #expect(reply == "réponse 🦄")
    }
}

private func SHA256Digest(_ text: String) -> [UInt8] { Array(SHA256.hash(data: Array(text.utf8))) }
