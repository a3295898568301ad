import ByteEncoding
import L402
import Testing

@Suite struct PaymentRequestTests {
    static func encode(_ json: String) -> String { Base64URL.encode(Array(json.utf8)) }

    @Test func readsTheDraftsExampleShape() throws {
        let hash = String(repeating: "ab", count: 32)
        let request = try LightningChargeRequest(encoded: Self.encode(
            #"{"amount":"100","currency":"sat","description":"Weather report for 94107","methodDetails":{"invoice":"lnbc1u1p","paymentHash":"\#(hash)","network":"mainnet"},"unknown":1}"#))
        #expect(request.amountSats == 100)
        #expect(request.network == .mainnet)
        #expect(request.paymentHash == Array(repeating: 0xab, count: 32))
        #expect(request.encoded == request.json.canonicalBase64URL)
        #expect(try LightningChargeRequest(encoded: request.encoded) == request)
    }

    @Test(arguments: [
        (#"[]"#, "not an object"), (#"{"currency":"sat","methodDetails":{"invoice":"ln"}}"#, "no amount"),
        (#"{"amount":100,"currency":"sat","methodDetails":{"invoice":"ln"}}"#, "amount a number"),
        (#"{"amount":"0","currency":"sat","methodDetails":{"invoice":"ln"}}"#, "zero"),
        (#"{"amount":"010","currency":"sat","methodDetails":{"invoice":"ln"}}"#, "leading zero"),
        (#"{"amount":"-1","currency":"sat","methodDetails":{"invoice":"ln"}}"#, "negative"),
        (#"{"amount":"1.5","currency":"sat","methodDetails":{"invoice":"ln"}}"#, "fraction"),
        (#"{"amount":"99999999999999999999","currency":"sat","methodDetails":{"invoice":"ln"}}"#, "overflow"),
        (#"{"amount":"1","currency":"BTC","methodDetails":{"invoice":"ln"}}"#, "currency"),
        (#"{"amount":"1","currency":"SAT","methodDetails":{"invoice":"ln"}}"#, "currency case"),
        (#"{"amount":"1","currency":"sat"}"#, "no methodDetails"),
        (#"{"amount":"1","currency":"sat","methodDetails":{}}"#, "no invoice"),
        (#"{"amount":"1","currency":"sat","methodDetails":{"invoice":""}}"#, "empty invoice"),
        (#"{"amount":"1","currency":"sat","methodDetails":{"invoice":"ln","paymentHash":"AB"}}"#, "short hash"),
        (#"{"amount":"1","currency":"sat","methodDetails":{"invoice":"ln","network":"testnet"}}"#, "network"),
    ])
    func refuses(_ json: String, _ why: String) {
        #expect(throws: PaymentRequestError.self, "\(why)") { try LightningChargeRequest(encoded: Self.encode(json)) }
    }
}
