import Testing

@testable import Gateway
@testable import L402Server

@Suite struct SchemeTests {
    @Test(arguments: [
        ("L402 abc:00", true), ("LSAT abc:00", true), ("l402 x", true), ("lsat\tx", true), ("  L402 x", true), ("L402", true),
        ("Bearer x", false), ("L402x abc", false), ("L40 x", false), ("", false), ("LSATS x", false), ("Basic L402", false),
    ])
    func recognisesTheL402Schemes(header: String, isL402: Bool) {
        #expect(Paywall.isL402Scheme(header) == isL402)
    }
}
