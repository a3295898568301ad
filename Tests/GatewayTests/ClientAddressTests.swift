import Testing

@testable import Gateway
@testable import L402Server

/// Who the client is: the peer, unless the peer is a trusted proxy naming it in X-Forwarded-For.
@Suite struct ClientAddressTests {
    let proxies = ClientAddress(trustedProxies: ["10.0.0.1", "10.0.0.2", "::1"])

    @Test func anUntrustedPeerIsTheClientWhateverItClaims() {
        let none = ClientAddress(trustedProxies: [])
        #expect(none.resolve(peer: "192.0.2.5", forwardedFor: ["198.51.100.7"]) == "192.0.2.5")
        #expect(proxies.resolve(peer: "192.0.2.5", forwardedFor: ["198.51.100.7"]) == "192.0.2.5")
        #expect(proxies.resolve(peer: nil, forwardedFor: ["198.51.100.7"]) == nil)
    }

    @Test func aTrustedProxyNamesTheClosestUntrustedHop() {
        // The left end was written by the client and could be forged; the proxies appended the rest.
        #expect(proxies.resolve(peer: "10.0.0.1", forwardedFor: ["6.6.6.6, 198.51.100.7"]) == "198.51.100.7")
        #expect(proxies.resolve(peer: "10.0.0.1", forwardedFor: ["6.6.6.6", "198.51.100.7, 10.0.0.2"]) == "198.51.100.7")
        #expect(proxies.resolve(peer: "::0001", forwardedFor: ["2001:DB8::7"]) == "2001:db8::7")
        #expect(proxies.resolve(peer: "10.0.0.1", forwardedFor: []) == "10.0.0.1")
        #expect(proxies.resolve(peer: "10.0.0.1", forwardedFor: ["10.0.0.2"]) == "10.0.0.2")
    }

    @Test func garbageInTheHeaderIsNotAClient() {
        #expect(proxies.resolve(peer: "10.0.0.1", forwardedFor: ["198.51.100.7, not-an-ip"]) == "10.0.0.1")
        #expect(proxies.resolve(peer: "10.0.0.1", forwardedFor: ["unknown, 10.0.0.2"]) == "10.0.0.2")
        #expect(proxies.resolve(peer: "10.0.0.1", forwardedFor: [String(repeating: "9", count: 10_000)]) == "10.0.0.1")
    }

    @Test func ipv6ClientsAreCountedPerSlash64() {
        #expect(ClientAddress.accountKey("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64")
        #expect(ClientAddress.accountKey("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64")
        #expect(ClientAddress.accountKey("2001:db8:1:3::1") == "2001:db8:1:3::/64")
        #expect(ClientAddress.accountKey("::ffff:198.51.100.7") == "198.51.100.7")
        #expect(ClientAddress.accountKey("198.51.100.7") == "198.51.100.7")
    }

    @Test func canonicalFormsOnlyForAddresses() {
        #expect(ClientAddress.canonical("127.0.0.1") == "127.0.0.1")
        #expect(ClientAddress.canonical("0:0:0:0:0:0:0:1") == "::1")
        #expect(ClientAddress.canonical("127.1") == nil)
        #expect(ClientAddress.canonical("example.com") == nil)
        #expect(ClientAddress.canonical("10.0.0.0/8") == nil)
    }
}
