import Foundation
import Testing
@testable import L402Client

@Suite struct OriginTests {
    @Test(arguments: [
        ("http://127.0.0.1:8402/echo/x?q=1", "http://127.0.0.1:8402", "http_127.0.0.1_8402.json"),
        ("HTTPS://Example.COM/a", "https://example.com:443", "https_example.com_443.json"),
        ("http://example.com", "http://example.com:80", "http_example.com_80.json"),
        ("http://[::1]:9000/", "http://[::1]:9000", "http___1_9000.json"),
    ])
    func normalisesSchemeHostAndPort(url: String, origin: String, fileName: String) throws {
        let parsed = try #require(Origin(url))
        #expect(parsed.description == origin)
        #expect(parsed.fileName == fileName)
        #expect(Origin(parsed.description) == parsed)
    }

    @Test(arguments: ["ftp://example.com/", "/relative/path", "mailto:x@example.com", "http://"])
    func refusesWhatIsNotAnHTTPOrigin(url: String) {
        #expect(Origin(url) == nil)
    }

    @Test func pathsFallUnderTheirScope() {
        #expect(CachedToken.path("/weather", isUnder: "/weather/"))
        #expect(CachedToken.path("/weather/today", isUnder: "/weather/"))
        #expect(!CachedToken.path("/weatherman", isUnder: "/weather/"))
        #expect(!CachedToken.path("/search/x", isUnder: "/weather/"))
        #expect(CachedToken.path("/anything", isUnder: "/"))
    }
}
