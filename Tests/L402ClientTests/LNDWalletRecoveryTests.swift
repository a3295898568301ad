import Crypto
import Foundation
import L402
import L402Client
import Lightning
import LightningBackends
import Testing
@testable import LNDStandInSupport

/// The client paying through LND (`LightningNodeWallet` over `LNDNode`, against the HTTPS LND
/// stand-in) a challenge minted by a real `Minter` on a dev node, with the payee holding the HTLC:
/// while the payment is in flight nothing is paid again, and once it succeeds its preimage is recovered.
@Suite struct LNDWalletRecoveryTests {
    @Test func aPaymentLeftInFlightIsNeverPaidAgainAndIsRecoveredOnceItSucceeds() async throws {
        let standIn = try await LNDStandIn.start()
        let payees = InMemoryDevInvoiceStore()
        let minted = try await Minter(node: DevNode(key: .random(), store: payees), secrets: InMemorySecretStore(), location: "test")
            .mint(tool: "weather", priceSats: 21, calls: 3, validForSeconds: nil, memo: "held")
        let revealed = try #require(await payees.record(paymentHash: minted.paymentHash)?.preimage)
        try standIn.addRoute(to: minted.invoice, preimage: revealed, holdsPayment: true)
        let challenge = try JSONEncoder().encode(minted.jsonBody)
        let server = try await TestHTTPServer.start { request in
            // The paid call: a credential whose preimage opens the challenge's payment hash.
            if let header = request.headers.first(name: "Authorization"), let credential = try? Credential(authorizationHeader: header),
                Array(SHA256.hash(data: credential.preimage)) == minted.paymentHash
            {
                return .init(status: 200, body: Array("sunny".utf8))
            }
            return .init(status: 402, headers: TamperedChallengeTests.headers(Challenge(macaroon: minted.macaroon, invoice: minted.invoice)),
                         body: Array(challenge))
        }
        do {
            let node = try LNDNode(configuration: LNDConfiguration(
                restURL: standIn.url, macaroon: standIn.adminMacaroonHex, tlsCertificatePath: standIn.certificate.certificatePath))
            let directory = try TemporaryDirectory()
            let client = L402Client(
                cache: try TokenCache(directory: directory.path), budget: Budget(limits: BudgetLimits(totalSats: 100)),
                wallet: LightningNodeWallet(node: node))
            let url = server.url.appendingPathComponent("weather/today")

            // The payment stream breaks while the payee holds the HTLC: the look-up says in flight.
            await #expect(throws: L402ClientError.paymentInFlight(tokenID: String(minted.tokenID.hex.prefix(12)))) {
                try await client.send(L402Request(url: url))
            }
            #expect(try await client.cache.allTokens().map(\.isPending) == [true])
            #expect(await client.budget.spentSats == 21, "an outcome not yet known counts as spent")
            // Asked again while it is in flight: the resume looks it up and pays nothing.
            await #expect(throws: L402ClientError.paymentInFlight(tokenID: String(minted.tokenID.hex.prefix(12)))) {
                try await client.send(L402Request(url: url))
            }
            #expect(standIn.sendAttempts == 1)

            standIn.releaseHeldPayment(hash: minted.paymentHash)
            let response = try await client.send(L402Request(url: url))
            #expect(response.status == 200)
            #expect(response.body == Array("sunny".utf8))
            #expect(response.payments.map(\.recovered) == [true])
            #expect(standIn.sendAttempts == 1, "one payment attempt in all")
            #expect(await client.budget.spentSats == 21)
            #expect(try await client.cache.allTokens().map(\.isPending) == [false])
        } catch {
            try? await server.stop()
            try? await standIn.stop()
            throw error
        }
        try await server.stop()
        try await standIn.stop()
    }
}
