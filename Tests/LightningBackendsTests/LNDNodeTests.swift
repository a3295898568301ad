import Bolt11
import ByteEncoding
import Crypto
import Foundation
import Testing
@testable import LightningBackends
import Lightning
@testable import LNDStandInSupport

/// `LNDNode` against `LNDStandIn`, a STAND-IN for LND's REST API (no real LND can run here): an HTTPS
/// server in this test target that follows lnd's documented REST shapes (snake_case names, int64 as
/// strings, base64 `bytes`, the line-delimited `{"result": …}` stream of `/v2/router/send`) and checks
/// the macaroon header. See LNDStandIn/LNDStandIn.swift for exactly what it checks.
@Suite struct LNDNodeTests {
    /// AsyncHTTPClient retries a failed connection until the request deadline; keep that short here.
    static let failFast = 1

    /// Runs `body` with a fresh stand-in and a node configured for it, then stops the stand-in.
    static func withStandIn(
        macaroon: ((LNDStandIn) -> String)? = nil, _ body: (LNDStandIn, LNDNode) async throws -> Void
    ) async throws {
        let standIn = try await LNDStandIn.start()
        do {
            let configuration = try LNDConfiguration(
                restURL: standIn.url, macaroon: macaroon?(standIn) ?? standIn.adminMacaroonHex,
                tlsCertificatePath: standIn.certificate.certificatePath)
            try await body(standIn, try LNDNode(configuration: configuration))
        } catch {
            try await standIn.stop()
            throw error
        }
        try await standIn.stop()
    }

    @Test func createsInvoiceWithLNDsJSONShapes() async throws {
        try await Self.withStandIn { standIn, node in
            let before = Date()
            let invoice = try await node.createInvoice(amountSats: 21, memo: "weather today", expirySeconds: 600)
            let sent = try #require(standIn.lastBody(path: "/v1/invoices"))
            #expect(sent["value"] as? String == "21")       // int64 as a string
            #expect(sent["expiry"] as? String == "600")
            #expect(sent["memo"] as? String == "weather today")
            #expect(invoice.paymentHash.count == 32)
            #expect(standIn.state.withLock { $0.invoices[invoice.paymentHash]?.paymentRequest } == invoice.paymentRequest)
            let decoded = try Invoice.decode(invoice.paymentRequest)
            #expect(decoded.paymentHash == invoice.paymentHash)
            #expect(decoded.payee == standIn.identityPubkey)
            #expect(invoice.expiresAt.timeIntervalSince(before) >= 600)
            #expect(invoice.expiresAt.timeIntervalSince(before) < 660)
        }
    }

    @Test func reportsEveryInvoiceState() async throws {
        try await Self.withStandIn { standIn, node in
            let open = try await node.createInvoice(amountSats: 5, memo: "a", expirySeconds: 600)
            #expect(try await node.invoiceState(paymentHash: open.paymentHash) == .open)
            standIn.settleInvoice(hash: open.paymentHash)
            #expect(try await node.invoiceState(paymentHash: open.paymentHash) == .settled)

            let cancelled = try await node.createInvoice(amountSats: 5, memo: "b", expirySeconds: 600)
            standIn.cancelInvoice(hash: cancelled.paymentHash)
            #expect(try await node.invoiceState(paymentHash: cancelled.paymentHash) == .cancelled)

            let stale = try await node.createInvoice(amountSats: 5, memo: "c", expirySeconds: 60)
            standIn.backdateInvoice(hash: stale.paymentHash, bySeconds: 120)
            #expect(try await node.invoiceState(paymentHash: stale.paymentHash) == .expired)

            let unknown = Array(SHA256.hash(data: [1, 2, 3]))
            await #expect(throws: LightningError.invoiceNotFound) { try await node.invoiceState(paymentHash: unknown) }
        }
    }

    @Test func paysAndReturnsTheVerifiedPreimage() async throws {
        try await Self.withStandIn { standIn, node in
            let (request, remote) = try standIn.addRemoteInvoice(amountSat: 1_000, routeFeeMsat: 2_500)
            let result = try await node.pay(paymentRequest: request, feeLimitSats: 10)
            #expect(result.preimage == remote.preimage)
            #expect(result.paymentHash == remote.paymentHash)
            #expect(result.feeMsat == 2_500)
            let sent = try #require(standIn.lastBody(path: "/v2/router/send"))
            #expect(sent["payment_request"] as? String == request)
            #expect(sent["fee_limit_sat"] as? String == "10")
            #expect(sent["timeout_seconds"] as? Int == 60)

            await #expect(throws: LightningError.alreadyPaid) { try await node.pay(paymentRequest: request, feeLimitSats: 10) }
        }
    }

    @Test func mapsPaymentFailures() async throws {
        try await Self.withStandIn { standIn, node in
            let (expensive, _) = try standIn.addRemoteInvoice(amountSat: 1_000, routeFeeMsat: 50_000)
            await #expect(throws: LightningError.noRoute) { try await node.pay(paymentRequest: expensive, feeLimitSats: 10) }

            let unknown = try LNDStandIn.paymentRequest(
                hash: Array(repeating: 7, count: 32), amountSat: 3, memo: "nobody", expiry: 600, key: NodeKey.random())
            await #expect(throws: LightningError.noRoute) { try await node.pay(paymentRequest: unknown, feeLimitSats: 10) }

            standIn.setBalance(sats: 100)
            let (big, _) = try standIn.addRemoteInvoice(amountSat: 1_000, routeFeeMsat: 0)
            await #expect(throws: LightningError.insufficientBalance) { try await node.pay(paymentRequest: big, feeLimitSats: 10) }

            await #expect(throws: LightningError.invalidInvoice("invalid bech32 string length 7")) {
                try await node.pay(paymentRequest: "garbage", feeLimitSats: 10)
            }
            let (mainnet, _) = try standIn.addRemoteInvoice(amountSat: 1, routeFeeMsat: 0, network: .bitcoin)
            await #expect(throws: LightningError.invalidInvoice("invoice not for current active network 'regtest'")) {
                try await node.pay(paymentRequest: mainnet, feeLimitSats: 10)
            }
            let (stale, _) = try standIn.addRemoteInvoice(amountSat: 1, routeFeeMsat: 0, ageSeconds: 7200)
            await #expect(throws: LightningError.invoiceExpired) { try await node.pay(paymentRequest: stale, feeLimitSats: 10) }
        }
    }

    @Test func decodesPaymentRequests() async throws {
        try await Self.withStandIn { standIn, node in
            let (request, remote) = try standIn.addRemoteInvoice(amountSat: 777, routeFeeMsat: 0)
            let decoded = try await node.decodePaymentRequest(request)
            let ours = try Invoice.decode(request)
            #expect(decoded.destination == standIn.remoteKey.publicKey)
            #expect(decoded.paymentHash == remote.paymentHash)
            #expect(decoded.amountMsat == 777_000)
            #expect(UInt64(decoded.timestamp.timeIntervalSince1970) == ours.timestamp)
            #expect(decoded.expirySeconds == 3600)
            #expect(decoded.description == "remote")
            await #expect(throws: LightningError.invalidInvoice("checksum failed")) {
                try await node.decodePaymentRequest(String(request.dropLast()) + (request.hasSuffix("q") ? "p" : "q"))
            }
        }
    }

    @Test func readsNodeInfo() async throws {
        try await Self.withStandIn { standIn, node in
            let info = try await node.info()
            #expect(info.publicKey == standIn.identityPubkey)
            #expect(info.alias == "standin-alice")
            #expect(info.network == .regtest)
        }
    }

    @Test func refusedMacaroonsAreUnauthorized() async throws {
        try await Self.withStandIn(macaroon: { _ in Hex.encode((0..<64).map { _ in UInt8.random(in: 0...255) }) }) { _, node in
            await #expect(throws: LightningError.unauthorized("verification failed: signature mismatch after caveat verification")) {
                try await node.info()
            }
        }
        // The invoice macaroon may create invoices but not pay.
        try await Self.withStandIn(macaroon: { $0.invoiceMacaroonHex }) { standIn, node in
            _ = try await node.createInvoice(amountSats: 1, memo: "", expirySeconds: 60)
            let (request, _) = try standIn.addRemoteInvoice(amountSat: 1, routeFeeMsat: 0)
            await #expect(throws: LightningError.unauthorized("permission denied")) {
                try await node.pay(paymentRequest: request, feeLimitSats: 1)
            }
        }
    }

    @Test func malformedAnswersAreTypedErrors() async throws {
        try await Self.withStandIn { standIn, node in
            standIn.override(path: "/v1/getinfo", status: 200, body: #"{"identity_pubkey": "zz", "alias": "x", "chains": []}"#)
            await #expect(throws: LightningError.malformedResponse("identity_pubkey is not a 33-byte hex public key")) {
                try await node.info()
            }
            standIn.override(path: "/v1/invoices", status: 200, body: "<html>proxy error</html>")
            let error = await #expect(throws: LightningError.self) {
                try await node.createInvoice(amountSats: 1, memo: "", expirySeconds: 60)
            }
            guard case .malformedResponse? = error else { Issue.record("expected malformedResponse, got \(String(describing: error))"); return }

            standIn.override(path: "/v1/invoices", status: 503, body: "upstream down")
            await #expect(throws: LightningError.backend("HTTP 503")) {
                try await node.createInvoice(amountSats: 1, memo: "", expirySeconds: 60)
            }
            let (request, _) = try standIn.addRemoteInvoice(amountSat: 1, routeFeeMsat: 0)
            standIn.override(path: "/v2/router/send", status: 200, body: #"{"result": {"status": "IN_FLIGHT"}}"# + "\n")
            await #expect(throws: LightningError.malformedResponse("payment stream ended before a final SUCCEEDED or FAILED status")) {
                try await node.pay(paymentRequest: request, feeLimitSats: 1)
            }
        }
    }

    @Test func refusesAServerWithAnotherCertificate() async throws {
        let standIn = try await LNDStandIn.start()
        let other = try SelfSignedCertificate.generate()
        defer { other.remove() }
        let node = try LNDNode(configuration: LNDConfiguration(
            restURL: standIn.url, macaroon: standIn.adminMacaroonHex, tlsCertificatePath: other.certificatePath,
            requestTimeoutSeconds: Self.failFast))
        let error = await #expect(throws: LightningError.self) { try await node.info() }
        try await standIn.stop()
        guard case .unreachable(let detail)? = error else { Issue.record("expected unreachable, got \(String(describing: error))"); return }
        #expect(detail.contains("TLS"))
    }

    @Test func unreachableNodeIsTyped() async throws {
        let standIn = try await LNDStandIn.start()
        let url = standIn.url, cert = standIn.certificate.certificatePath
        let certCopy = FileManager.default.temporaryDirectory.appendingPathComponent("lnd-cert-\(UUID().uuidString).pem").path
        try FileManager.default.copyItem(atPath: cert, toPath: certCopy)
        defer { try? FileManager.default.removeItem(atPath: certCopy) }
        try await standIn.stop()   // nothing listens on its port any more
        let node = try LNDNode(configuration: LNDConfiguration(
            restURL: url, macaroon: "00ff", tlsCertificatePath: certCopy, requestTimeoutSeconds: Self.failFast))
        let error = await #expect(throws: LightningError.self) { try await node.info() }
        guard case .unreachable(let detail)? = error else { Issue.record("expected unreachable, got \(String(describing: error))"); return }
        #expect(detail.hasPrefix(url))
    }
}

@Suite struct LNDConfigurationTests {
    @Test func readsMacaroonAsHexOrFile() throws {
        let bytes: [UInt8] = (0..<80).map { _ in UInt8.random(in: 0...255) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("admin-\(UUID().uuidString).macaroon").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let fromFile = try #require(try LNDConfiguration.fromEnvironment([
            "LND_REST_URL": "https://127.0.0.1:8080", "LND_MACAROON": path, "LND_TLS_CERT": path,
        ]))
        #expect(fromFile.macaroonHex == Hex.encode(bytes))
        #expect(fromFile.restURL.absoluteString == "https://127.0.0.1:8080")
        let fromHex = try LNDConfiguration(restURL: "https://localhost:8080", macaroon: Hex.encode(bytes).uppercased(), tlsCertificatePath: nil)
        #expect(fromHex.macaroonHex == Hex.encode(bytes))
    }

    @Test func absentURLMeansNoLND() throws {
        #expect(try LNDConfiguration.fromEnvironment([:]) == nil)
        #expect(try LNDConfiguration.fromEnvironment(["LND_MACAROON": "00"]) == nil)
    }

    @Test func misconfigurationIsExplained() {
        #expect(throws: LightningError.configuration("LND_REST_URL is set but LND_MACAROON is not (hex, or the path of admin.macaroon)")) {
            try LNDConfiguration.fromEnvironment(["LND_REST_URL": "https://127.0.0.1:8080"])
        }
        #expect(throws: LightningError.configuration(
            "LND_REST_URL must be an https:// URL with a host (LND serves REST over TLS), got 'http://127.0.0.1:8080'")) {
            try LNDConfiguration(restURL: "http://127.0.0.1:8080", macaroon: "00", tlsCertificatePath: nil)
        }
        // A mistyped hex macaroon is not echoed back: it is still a secret.
        #expect(throws: LightningError.configuration("LND_MACAROON is neither hex nor the path of a readable file")) {
            try LNDConfiguration(restURL: "https://127.0.0.1:8080", macaroon: "0201abcz", tlsCertificatePath: nil)
        }
        #expect(throws: LightningError.configuration("LND_TLS_CERT: cannot read '/nonexistent/tls.cert'")) {
            try LNDConfiguration(restURL: "https://127.0.0.1:8080", macaroon: "00", tlsCertificatePath: "/nonexistent/tls.cert")
        }
    }
}

@Suite struct JSONLineSplitterTests {
    @Test func reassemblesLinesAcrossChunks() throws {
        var splitter = JSONLineSplitter(maximumLineLength: 64)
        #expect(try splitter.append(Array(#"{"a":"#.utf8)) == [])
        #expect(try splitter.append(Array("1}\n\n{\"b\"".utf8)) == [Array(#"{"a":1}"#.utf8)])
        #expect(try splitter.append(Array(":2}".utf8)) == [])
        #expect(splitter.finish() == Array(#"{"b":2}"#.utf8))
    }

    @Test func boundsLineLength() {
        var splitter = JSONLineSplitter(maximumLineLength: 8)
        #expect(throws: JSONLineSplitter.LineTooLong.self) { try splitter.append(Array(repeating: UInt8(ascii: "x"), count: 9)) }
    }
}
