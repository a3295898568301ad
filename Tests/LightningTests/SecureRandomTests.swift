import Testing
import Lightning

@Suite struct SecureRandomTests {
    @Test(arguments: [8, 16, 24, 32, 64])
    func givesTheCountAskedFor(count: Int) {
        #expect(SecureRandom.bytes(count).count == count)
    }

    /// 32,000 bytes: every value is expected about 125 times, so a missing value (or a repeat among
    /// the 1,000 draws) means the bytes are not random (odds of either by chance: below 10⁻⁵⁰).
    @Test func drawsAreDistinctAndCoverEveryByteValue() {
        let draws = (0..<1_000).map { _ in SecureRandom.bytes(32) }
        #expect(Set(draws).count == draws.count)
        var seen = Set<UInt8>()
        for draw in draws { seen.formUnion(draw) }
        #expect(seen.count == 256)
    }
}
