import ByteEncoding
import Crypto
import Foundation
import Testing
@testable import LightningBackends
import Lightning
@testable import LNDStandInSupport

/// `LNDNode.paymentStatus(paymentHash:)` (`GET /v2/router/track/{payment_hash}`) against the HTTPS
/// LND stand-in, whose router keeps one payment per hash as lnd's control tower does.
@Suite struct LNDPaymentLookupTests {
    @Test func aSucceededPaymentIsFoundWithItsPreimage() async throws {
        try await LNDNodeTests.withStandIn { standIn, node in
            let (request, remote) = try standIn.addRemoteInvoice(amountSat: 1_000, routeFeeMsat: 2_000)
            let paid = try await node.pay(paymentRequest: request, feeLimitSats: 10)
            let status = try await node.paymentStatus(paymentHash: remote.paymentHash)
            #expect(status == .succeeded(paid))
            #expect(status == .succeeded(PaymentResult(paymentHash: remote.paymentHash, preimage: remote.preimage, feeMsat: 2_000)))
        }
    }

    @Test func aPaymentLeftInFlightIsReportedWithoutWaitingThenSucceeds() async throws {
        try await LNDNodeTests.withStandIn { standIn, node in
            let (request, remote) = try standIn.addRemoteInvoice(amountSat: 50, routeFeeMsat: 0, holdsPayment: true)
            // The payee holds the HTLC and our payment stream breaks: the outcome is unknown to the payer.
            await #expect(throws: LightningError.malformedResponse("payment stream ended before a final SUCCEEDED or FAILED status")) {
                try await node.pay(paymentRequest: request, feeLimitSats: 10)
            }
            // The track stream of an in-flight payment stays open: the look-up reads its first item only.
            #expect(try await node.paymentStatus(paymentHash: remote.paymentHash) == .inFlight)
            await #expect(throws: LightningError.paymentInFlight) { try await node.pay(paymentRequest: request, feeLimitSats: 10) }

            standIn.releaseHeldPayment(hash: remote.paymentHash)
            let status = try await node.paymentStatus(paymentHash: remote.paymentHash)
            guard case .succeeded(let result) = status else { Issue.record("expected succeeded, got \(status)"); return }
            #expect(result.preimage == remote.preimage)
            await #expect(throws: LightningError.alreadyPaid) { try await node.pay(paymentRequest: request, feeLimitSats: 10) }
        }
    }

    @Test func aFailedPaymentIsReportedWithItsReasonAndMayBeRetried() async throws {
        try await LNDNodeTests.withStandIn { standIn, node in
            standIn.setBalance(sats: 100)
            let (request, remote) = try standIn.addRemoteInvoice(amountSat: 500, routeFeeMsat: 0)
            await #expect(throws: LightningError.insufficientBalance) { try await node.pay(paymentRequest: request, feeLimitSats: 10) }
            #expect(try await node.paymentStatus(paymentHash: remote.paymentHash) == .failed(.insufficientBalance))

            standIn.setBalance(sats: 1_000)
            let paid = try await node.pay(paymentRequest: request, feeLimitSats: 10)
            #expect(paid.preimage == remote.preimage)
            #expect(try await node.paymentStatus(paymentHash: remote.paymentHash) == .succeeded(paid))
        }
    }

    @Test func aPaymentNeverMadeIsUnknown() async throws {
        try await LNDNodeTests.withStandIn { standIn, node in
            let (_, remote) = try standIn.addRemoteInvoice(amountSat: 5, routeFeeMsat: 0)
            #expect(try await node.paymentStatus(paymentHash: remote.paymentHash) == .unknown)
            // Hashes whose standard base64 has '/' and '+' still travel in the path.
            let awkward = try #require((0..<256).lazy.map { Array(SHA256.hash(data: [UInt8($0)])) }
                .first { Base64.encode($0).contains("/") && Base64.encode($0).contains("+") })
            #expect(try await node.paymentStatus(paymentHash: awkward) == .unknown)
            await #expect(throws: LightningError.invalidInvoice("a payment hash is 32 bytes")) {
                try await node.paymentStatus(paymentHash: [1, 2, 3])
            }
        }
    }

    @Test func streamErrorsAndMalformedItemsAreTyped() async throws {
        try await LNDNodeTests.withStandIn { (standIn: LNDStandIn, node: LNDNode) async throws in
            let hash = Array(SHA256.hash(data: [42]))
            let path = "/v2/router/track/\(LNDNode.pathBase64(hash))"
            // Some lnd versions report "not initiated" inside a 200 stream rather than as HTTP 404.
            standIn.override(path: path, status: 200, body: #"{"error":{"code":5,"message":"payment isn't initiated"}}"# + "\n")
            #expect(try await node.paymentStatus(paymentHash: hash) == .unknown)
            standIn.override(path: path, status: 200, body: #"{"error":{"code":2,"message":"database is locked"}}"# + "\n")
            await #expect(throws: LightningError.backend("HTTP 200: database is locked")) { try await node.paymentStatus(paymentHash: hash) }
            standIn.override(path: path, status: 200, body: #"{"result":{"status":"SUCCEEDED","payment_hash":"\#(Hex.encode(hash))","payment_preimage":"\#(String(repeating: "11", count: 32))"}}"#)
            await #expect(throws: LightningError.malformedResponse("payment_preimage does not hash to payment_hash")) {
                try await node.paymentStatus(paymentHash: hash)
            }
            standIn.override(path: path, status: 200, body: "")
            await #expect(throws: LightningError.malformedResponse("payment track stream ended without an item")) {
                try await node.paymentStatus(paymentHash: hash)
            }
        }
    }

    @Test func theInvoiceMacaroonMayNotReadPayments() async throws {
        try await LNDNodeTests.withStandIn(macaroon: { $0.invoiceMacaroonHex }) { _, node in
            await #expect(throws: LightningError.unauthorized("permission denied")) {
                try await node.paymentStatus(paymentHash: Array(SHA256.hash(data: [1])))
            }
        }
    }

    @Test func paymentHashesTravelAsPaddedURLSafeBase64() {
        let hash = [UInt8](repeating: 0xFB, count: 32)
        #expect(LNDNode.pathBase64(hash) == String(repeating: "-_v7", count: 10) + "-_s=")
        #expect(LNDStandIn.grpcGatewayBytes(LNDNode.pathBase64(hash)) == hash)
        #expect(LNDStandIn.grpcGatewayBytes(Base64.encodeURLSafe(hash)) == nil, "grpc-gateway wants the padding")
    }
}
