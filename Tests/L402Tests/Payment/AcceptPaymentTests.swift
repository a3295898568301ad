import L402
import Testing

@Suite struct AcceptPaymentTests {
    typealias Offer = AcceptPayment.Offer
    static let enabled: [Offer] = [.l402, .lightningCharge]

    @Test func ordersByWeightThenServerOrder() {
        #expect(AcceptPayment.offers(Self.enabled, header: "lightning/charge, l402;q=0.5") == [.lightningCharge, .l402])
        #expect(AcceptPayment.offers(Self.enabled, header: "lightning/charge, l402") == [.l402, .lightningCharge])
        #expect(AcceptPayment.offers(Self.enabled, header: "l402;q=0") == Self.enabled)  // nothing acceptable: all
        #expect(AcceptPayment.offers(Self.enabled, header: "lightning/*, l402;q=0") == [.lightningCharge])
        #expect(AcceptPayment.offers(Self.enabled, header: "*/*;q=0.2, l402;q=0.9") == [.l402, .lightningCharge])
        #expect(AcceptPayment.offers(Self.enabled, header: nil) == Self.enabled)
        #expect(AcceptPayment.offers(Self.enabled, header: "tempo/charge") == Self.enabled)
        #expect(AcceptPayment.offers(Self.enabled, header: "lightning/charge;q=2") == Self.enabled)  // malformed: ignored
    }

    @Test func mostSpecificRangeWins() throws {
        let accept = try AcceptPayment(parsing: "lightning/*;q=0.3, lightning/charge;q=0.8, */*;q=0.1")
        #expect(accept.quality(of: .lightningCharge) == 0.8)
        #expect(accept.quality(of: Offer(method: "lightning", intent: "session")) == 0.3)
        #expect(accept.quality(of: Offer(method: "stripe", intent: "charge")) == 0.1)
        #expect(accept.quality(of: .l402) == nil)
    }

    @Test(arguments: ["a/b/c", "lightning/charge;q=1.5", "lightning/charge;q=abc", "lightning/charge;x=1", ";q=1", "light ning/charge",
                      "lightning/charge;q=0.1234"])
    func refusesMalformed(_ header: String) {
        #expect(throws: AcceptPaymentError.self) { try AcceptPayment(parsing: header) }
    }
}
