import ByteEncoding
import LightningBackends
import Testing

@Suite struct NWCConnectionURITests {
    static let wallet = "b889ff5b1513b641e2a139f661a661364979c5beee91842f8f0ef42ab558e9d4"
    static let secret = "71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3c"

    /// NIP-47's own example connection string.
    @Test func theSpecExampleParses() throws {
        let uri = try NWCConnectionURI("nostr+walletconnect://\(Self.wallet)?relay=wss%3A%2F%2Frelay.damus.io&secret=\(Self.secret)")
        #expect(uri.walletPublicKey == Self.wallet)
        #expect(uri.relays == ["wss://relay.damus.io"])
        #expect(Hex.encode(uri.clientKey.secret) == Self.secret)
        #expect(uri.lightningAddress == nil)
    }

    @Test func severalRelaysAndALightningAddress() throws {
        let uri = try NWCConnectionURI("nostr+walletconnect://\(Self.wallet.uppercased())?relay=wss://a.example&relay=ws://127.0.0.1:7000&secret=\(Self.secret)&lud16=me%40example.com")
        #expect(uri.walletPublicKey == Self.wallet)
        #expect(uri.relays == ["wss://a.example", "ws://127.0.0.1:7000"])
        #expect(uri.lightningAddress == "me@example.com")
    }

    @Test func theSecretNeverShows() throws {
        let uri = try NWCConnectionURI("nostr+walletconnect://\(Self.wallet)?relay=wss://r.example&secret=\(Self.secret)")
        #expect(!"\(uri)".contains(Self.secret))
        #expect(!"\(uri.clientKey)".contains(Self.secret))
        #expect(!String(reflecting: uri.clientKey).contains(Self.secret))
        #expect(!"\(NWCWallet(connection: uri))".contains(Self.secret))
        #expect("\(NWCWallet(connection: uri))".contains(String(Self.wallet.prefix(16))))
    }

    @Test func garbageIsRefusedPrecisely() {
        let cases: [(String, NWCURIError)] = [
            ("https://example.com", .notNWC),
            ("nostr+walletconnect://zz?relay=wss://r&secret=\(Self.secret)", .invalidWalletPublicKey),
            ("nostr+walletconnect://\(String(repeating: "f", count: 64))?relay=wss://r&secret=\(Self.secret)", .invalidWalletPublicKey),
            ("nostr+walletconnect://\(Self.wallet)?secret=\(Self.secret)", .missingRelay),
            ("nostr+walletconnect://\(Self.wallet)?relay=https://r.example&secret=\(Self.secret)", .invalidRelay("https://r.example")),
            ("nostr+walletconnect://\(Self.wallet)?relay=wss://r.example", .missingSecret),
            ("nostr+walletconnect://\(Self.wallet)?relay=wss://r.example&secret=\(Self.secret)&secret=\(Self.secret)", .missingSecret),
            ("nostr+walletconnect://\(Self.wallet)?relay=wss://r.example&secret=1234", .invalidSecret),
            ("nostr+walletconnect://\(Self.wallet)?relay=wss://r.example&secret=\(String(repeating: "0", count: 64))", .invalidSecret),
        ]
        for (text, expected) in cases {
            #expect(throws: expected, "\(text)") { try NWCConnectionURI(text) }
        }
    }

    @Test func encryptionFollowsTheInfoEvent() {
        #expect(NWCEncryption.negotiated(infoTags: [["encryption", "nip44_v2 nip04"]]) == .nip44)
        #expect(NWCEncryption.negotiated(infoTags: [["encryption", "nip04"]]) == .nip04)
        #expect(NWCEncryption.negotiated(infoTags: [["notifications", "payment_received"]]) == .nip04)  // no tag: legacy NIP-04
        #expect(NWCEncryption.negotiated(infoTags: [["encryption", "nip99"]]) == nil)
    }
}
