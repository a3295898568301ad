import L402
import Testing

@Suite struct PurchaseTests {
    /// The n-th call earns ⌊a·n/c⌋ − ⌊a·(n−1)/c⌋: every call of the purchase together earns exactly its amount.
    @Test(arguments: [(20, 5), (7, 3), (1, 3), (100, 7), (0, 4), (5, 1), (3, 10)] as [(UInt64, Int)])
    func theCallsOfAPurchaseEarnExactlyItsAmount(amount: UInt64, calls: Int) {
        let purchase = Purchase(tool: "weather", amountSats: amount, calls: calls)
        let shares = (1...calls).map { purchase.sats(forCommittedCall: $0) }
        #expect(shares.reduce(0, +) == amount)
        // No call earns more than one sat above another: the amount is spread, not front-loaded.
        #expect(shares.max()! - shares.min()! <= 1)
        #expect(purchase.sats(forCommittedCall: 0) == 0 && purchase.sats(forCommittedCall: calls + 1) == 0)
    }

    @Test func examplesSpreadTheRemainderAndNeverOverflow() {
        #expect((1...3).map { Purchase(tool: "t", amountSats: 7, calls: 3).sats(forCommittedCall: $0) } == [2, 2, 3])
        #expect((1...3).map { Purchase(tool: "t", amountSats: 1, calls: 3).sats(forCommittedCall: $0) } == [0, 0, 1])
        let huge = Purchase(tool: "t", amountSats: .max, calls: 3)
        #expect((1...3).map { huge.sats(forCommittedCall: $0) }.reduce(0, &+) == .max)
        #expect(Purchase(tool: "t", amountSats: 9, calls: 0).calls == 1, "a purchase buys at least one call")
    }
}
