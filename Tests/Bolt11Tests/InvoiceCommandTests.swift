import ByteEncoding
import Crypto
import Foundation
import TestSupport
import Testing
@testable import Bolt11

/// `l402 invoice decode|create`, run as the built binary.
@Suite struct InvoiceCommandTests {
    static func json(_ output: ProcessOutput) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    @Test func createThenDecode() throws {
        let preimage = RandomInvoice.bytes(32)
        let created = try Subprocess.l402([
            "invoice", "create", "--amount-sats", "2100", "--description", "one weather call ⚡", "--network", "tb",
            "--expiry", "600", "--node-key", SpecExample.privateKey, "--preimage", Hex.encode(preimage),
        ])
        #expect(created.status == 0, "\(created.stderr)")
        let out = try Self.json(created)
        let text = try #require(out["invoice"] as? String)
        #expect(out["preimage"] as? String == Hex.encode(preimage))
        #expect(out["payment_hash"] as? String == Hex.encode(Array(SHA256.hash(data: preimage))))
        #expect(out["payee"] as? String == SpecExample.payee)

        // What the library reads from it.
        let invoice = try Invoice.decode(text)
        #expect(invoice.network == .testnet)
        #expect(invoice.amountMsat == 2_100_000)
        #expect(invoice.description == "one weather call ⚡")
        #expect(invoice.expiry == 600)
        #expect(Hex.encode(invoice.payee ?? []) == SpecExample.payee)
        #expect(out["expires_at"] as? UInt64 == invoice.expiresAt)

        // What the CLI prints about it.
        let decoded = try Subprocess.l402(["invoice", "decode", text])
        #expect(decoded.status == 0)
        let fields = try Self.json(decoded)
        #expect(fields["network"] as? String == "testnet")
        #expect(fields["amount_msat"] as? UInt64 == 2_100_000)
        #expect(fields["timestamp"] as? UInt64 == invoice.timestamp)
        #expect(fields["payment_hash"] as? String == out["payment_hash"] as? String)
        #expect(fields["payment_secret"] as? String == invoice.paymentSecret.map { Hex.encode($0) })
        #expect(fields["description"] as? String == "one weather call ⚡")
        #expect(fields["description_hash"] is NSNull)
        #expect(fields["expiry"] as? UInt64 == 600)
        #expect(fields["min_final_cltv_expiry"] as? UInt64 == 18)
        #expect(fields["payee"] as? String == SpecExample.payee)
        #expect(fields["features"] as? [Int] == [8, 14, 17])
        #expect(fields["signature_valid"] as? Bool == true)
    }

    @Test func randomKeyAndPreimageByDefault() throws {
        let runs = try (0..<2).map { _ in
            try Self.json(Subprocess.l402(["invoice", "create", "--amount-sats", "1", "--description", "x"]))
        }
        #expect(runs[0]["payee"] as? String != runs[1]["payee"] as? String)
        #expect(runs[0]["preimage"] as? String != runs[1]["preimage"] as? String)
        let invoice = try Invoice.decode(try #require(runs[0]["invoice"] as? String))
        #expect(invoice.network == .regtest)
        #expect(invoice.expiry == 3600)
    }

    @Test func decodesRouteHintsFallbacksAndMissingAmount() throws {
        let withHints = try Self.json(Subprocess.l402(["invoice", "decode", SpecInvoices.routeHints]))
        #expect(withHints["network"] as? String == "bitcoin")
        let hints = try #require(withHints["route_hints"] as? [[[String: Any]]])
        #expect(hints.count == 1)
        #expect(hints[0].map { $0["short_channel_id"] as? String } == ["66051x263430x1800", "197637x395016x2314"])
        #expect(hints[0].map { $0["fee_base_msat"] as? Int } == [1, 2])
        #expect(hints[0][1]["pubkey"] as? String == "039e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255")
        let fallbacks = try #require(withHints["fallbacks"] as? [[String: Any]])
        #expect(fallbacks.map { $0["address"] as? String } == ["1RustyRX2oai4EYYDpQGWvEL62BBGqN9T"])
        #expect(withHints["description"] is NSNull)
        #expect(withHints["description_hash"] as? String
            == Hex.encode(Array(SHA256.hash(data: Array(SpecExample.chocolate.utf8)))))

        let donation = try Self.json(Subprocess.l402(["invoice", "decode", SpecInvoices.donation]))
        #expect(donation["amount_msat"] is NSNull)
    }

    @Test func badSignatureStillShowsFieldsButFails() throws {
        let valid = Crafted.invoice(Crafted.required)
        let signatureStart = try Bech32.decode(valid).words.count - 104
        let broken = Crafted.rechecksummed(valid) { words in
            words.replaceSubrange(signatureStart..<signatureStart + 52, with: [UInt8](repeating: 31, count: 52))
        }
        let result = try Subprocess.l402(["invoice", "decode", broken])
        #expect(result.status == 1)
        let fields = try Self.json(result)
        #expect(fields["signature_valid"] as? Bool == false)
        #expect(fields["signature_error"] as? String == Bolt11Error.invalidSignature.description)
        #expect(fields["description"] as? String == "crafted")
        #expect(result.stderr.contains("signature does not verify"))
    }

    @Test func malformedInputFailsWithThePreciseReason() throws {
        let result = try Subprocess.l402(["invoice", "decode", SpecInvoices.badMultiplier])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(Bolt11Error.invalidMultiplier("x").description))

        let badKey = try Subprocess.l402(["invoice", "create", "--amount-sats", "1", "--description", "x",
                                          "--node-key", String(repeating: "00", count: 32)])
        #expect(badKey.status != 0)
        #expect(badKey.stderr.contains("--node-key"))
        #expect(!badKey.stdout.contains("invoice"))
    }
}
