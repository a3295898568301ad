import ByteEncoding
import Crypto
import Foundation
import L402
import Macaroons
import Testing

/// The credential checks in order, each against real minted, really paid tokens.
@Suite struct AuthenticatorTests {
    @Test func paidTokenIsAcceptedAndReportsItsTerms() async throws {
        let fixture = Fixture()
        let (challenge, preimage) = try await fixture.paidToken(priceSats: 42, calls: 3, validForSeconds: 600)
        let call = try await fixture.authenticate([challenge.macaroon], preimage: preimage)
        #expect(call.tokenID == challenge.tokenID)
        #expect(call.paymentHash == challenge.paymentHash)
        #expect(call.amountSats == 42)
        #expect(call.callsLimit == 3)
        #expect(call.expiresAt == challenge.tokenExpiresAt)
        #expect(await fixture.usage.callsUsed(for: challenge.tokenID) == 1)
    }

    @Test func lsatSchemeInAnyCaseIsAccepted() async throws {
        let fixture = Fixture()
        let (challenge, preimage) = try await fixture.paidToken(calls: 3)
        for scheme in ["LSAT", "lsat", "l402"] {
            _ = try await fixture.authenticate([challenge.macaroon], preimage: preimage, scheme: scheme)
        }
        #expect(await fixture.usage.callsUsed(for: challenge.tokenID) == 3)
    }

    @Test func callsAreSpentThenTheTokenAnswers402() async throws {
        let fixture = Fixture()
        let (challenge, preimage) = try await fixture.paidToken(calls: 2)
        let first = try await fixture.authenticate([challenge.macaroon], preimage: preimage)
        _ = try await fixture.authenticate([challenge.macaroon], preimage: preimage)
        let failure = await fixture.failure([challenge.macaroon], preimage: preimage)
        #expect(failure == .spent)
        #expect(failure?.code == "token_spent" && failure?.httpStatus == 402)

        // A released call (upstream failed) can be used again.
        #expect(await fixture.usage.releaseCall(first.lease))
        _ = try await fixture.authenticate([challenge.macaroon], preimage: preimage)
    }

    /// What was sold is the server's record: caveats claiming a higher price or more calls (as a
    /// macaroon signed with the right key could) neither raise the limit nor the amount.
    @Test func thePurchaseRecordNotTheCaveatsSetsPriceAndCalls() async throws {
        let fixture = Fixture()
        let preimage = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let token = TokenID.random(), rootKey = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let identifier = try L402Identifier(paymentHash: Array(SHA256.hash(data: preimage)), tokenID: token)
        try await fixture.secrets.storeRootKey(
            rootKey, for: token, purchase: Purchase(tool: "weather", amountSats: 20, calls: 2),
            unpaidExpiresAt: Date().addingTimeInterval(600), paidExpiresAt: nil)
        let macaroon = ["tool=weather", "amount_sats=1000", "calls=100"].reduce(
            Macaroon(rootKey: rootKey, identifier: identifier.encoded(), location: "test")) { $0.addingFirstPartyCaveat($1) }

        let call = try await fixture.authenticate([macaroon], preimage: preimage)
        #expect(call.amountSats == 20 && call.callsLimit == 2 && call.purchase.calls == 2)
        _ = try await fixture.authenticate([macaroon], preimage: preimage)
        #expect(await fixture.failure([macaroon], preimage: preimage) == .spent)
        // A purchase for another tool does not pay for this one, whatever the caveats say.
        #expect(await fixture.failure([macaroon], preimage: preimage, tool: "news") == .wrongTool)
    }

    /// A key stored before purchases were recorded: the minter's own (first) caveats say what was sold,
    /// not a smaller `calls` a holder appended (which still limits the calls).
    @Test func aKeyWithoutAPurchaseFallsBackToTheMintersFirstCaveats() async throws {
        let fixture = Fixture()
        let (challenge, preimage) = try await fixture.paidToken(priceSats: 20, calls: 5)
        let legacy = Authenticator(secrets: PurchaseForgetting(fixture.secrets), usage: fixture.usage)
        let narrowed = challenge.macaroon.addingFirstPartyCaveat("calls=2").addingFirstPartyCaveat("amount_sats=1")
        let header = Credential(macaroons: [narrowed], preimage: preimage).headerValue
        let call = try await legacy.authenticate(
            authorization: header, request: ProtectedRequest(tool: "weather", method: "GET", path: "/today", now: Date()))
        #expect(call.purchase == Purchase(tool: "weather", amountSats: 20, calls: 5))
        #expect(call.callsLimit == 2)
    }

    @Test func concurrentUseOfAOneCallTokenHasOneWinner() async throws {
        let fixture = Fixture()
        let (challenge, preimage) = try await fixture.paidToken(calls: 1)
        let wins = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<30 {
                group.addTask { (try? await fixture.authenticate([challenge.macaroon], preimage: preimage)) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
    }

    @Test func wrongPreimageIsRefusedAndSpendsNothing() async throws {
        let fixture = Fixture()
        let (challenge, preimage) = try await fixture.paidToken()
        var wrong = preimage
        wrong[0] ^= 1
        #expect(await fixture.failure([challenge.macaroon], preimage: wrong) == .wrongPreimage)
        // The preimage of another paid invoice is no good either.
        let (_, otherPreimage) = try await fixture.paidToken()
        #expect(await fixture.failure([challenge.macaroon], preimage: otherPreimage) == .wrongPreimage)
        #expect(await fixture.usage.callsUsed(for: challenge.tokenID) == 0)
        #expect(await fixture.secrets.secret(for: challenge.tokenID)?.isPaid == false)
    }

    @Test func firstGoodPreimageMarksTheKeyPaidSoCollectionKeepsIt() async throws {
        let fixture = Fixture(invoiceExpirySeconds: 60)
        let (paid, preimage) = try await fixture.paidToken(validForSeconds: nil)
        let unpaid = try await fixture.minter.mint(tool: "weather", priceSats: 1, calls: 1, validForSeconds: nil, memo: "x")
        _ = try await fixture.authenticate([paid.macaroon], preimage: preimage)
        #expect(await fixture.secrets.secret(for: paid.tokenID)?.isPaid == true)

        // Past invoice expiry + grace: only the unpaid key goes.
        let later = Date().addingTimeInterval(TimeInterval(60 + fixture.minter.paymentGraceSeconds + 10))
        #expect(await fixture.secrets.deleteExpiredSecrets(before: later) == 1)
        #expect(await fixture.secrets.secret(for: unpaid.tokenID) == nil)
        #expect(await fixture.secrets.secret(for: paid.tokenID) != nil)
    }

    @Test func unknownOrRevokedTokenIsRefused() async throws {
        let fixture = Fixture()
        let (challenge, preimage) = try await fixture.paidToken(calls: 5)
        _ = try await fixture.authenticate([challenge.macaroon], preimage: preimage)
        #expect(await fixture.secrets.deleteRootKey(for: challenge.tokenID))
        #expect(await fixture.failure([challenge.macaroon], preimage: preimage) == .unknownToken)

        // A token minted by another gateway (other secret store) is unknown here.
        let other = Fixture()
        let (foreign, foreignPreimage) = try await other.paidToken()
        #expect(await fixture.failure([foreign.macaroon], preimage: foreignPreimage) == .unknownToken)
    }

    @Test func forgedMacaroonWithTheRightIdentifierIsRefused() async throws {
        let fixture = Fixture()
        let (challenge, preimage) = try await fixture.paidToken(calls: 1)
        // Same identifier and caveats, but signed with a key the attacker chose: more calls.
        let forged = Macaroon(rootKey: [UInt8](repeating: 7, count: 32), identifier: challenge.macaroon.identifier)
            .addingFirstPartyCaveat("tool=weather").addingFirstPartyCaveat("calls=1000")
        #expect(await fixture.failure([forged], preimage: preimage) == .badSignature)
        #expect(AuthenticationFailure.badSignature.code == "bad_signature")
    }

    @Test func tamperedCaveatOrSignatureIsRefused() async throws {
        let fixture = Fixture()
        let (challenge, preimage) = try await fixture.paidToken(calls: 1)
        let bytes = challenge.macaroon.serialize()

        // Rewrite `calls=1` to `calls=9` in place: same length, broken chain.
        let needle = Array("calls=1".utf8)
        let at = try #require((0...(bytes.count - needle.count)).first { Array(bytes[$0..<$0 + needle.count]) == needle })
        var raisedCalls = bytes
        raisedCalls[at + needle.count - 1] = UInt8(ascii: "9")
        #expect(await fixture.failure([try Macaroon(bytes: raisedCalls)], preimage: preimage) == .badSignature)

        // Flip one bit of the signature (the 32 bytes before the final end-of-section byte).
        var flipped = bytes
        flipped[bytes.count - 2] ^= 0x01
        #expect(await fixture.failure([try Macaroon(bytes: flipped)], preimage: preimage) == .badSignature)

        // A tampered identifier (other token id, same bytes length) has no stored key.
        var identifier = challenge.macaroon.identifier
        identifier[65] ^= 0xff
        let swapped = Macaroon(rootKey: [UInt8](repeating: 1, count: 32), identifier: identifier)
        #expect(await fixture.failure([swapped], preimage: preimage) == .unknownToken)
        #expect(await fixture.usage.callsUsed(for: challenge.tokenID) == 0)
    }

    @Test func nonL402IdentifierIsMalformed() async throws {
        let fixture = Fixture()
        let plain = Macaroon(rootKey: [UInt8](repeating: 1, count: 32), identifier: Array("not-an-l402-id".utf8))
        guard case .malformed(let reason)? = await fixture.failure([plain], preimage: [UInt8](repeating: 0, count: 32)) else {
            Issue.record("expected malformed")
            return
        }
        #expect(reason.contains("identifier"))
    }

    @Test func severalMacaroonsMustBeOneTokenAndAllTheirCaveatsHold() async throws {
        let fixture = Fixture()
        let (challenge, preimage) = try await fixture.paidToken(calls: 5)
        let getOnly = challenge.macaroon.addingFirstPartyCaveat("method=GET")
        _ = try await fixture.authenticate([challenge.macaroon, getOnly], preimage: preimage, method: "GET")
        #expect(await fixture.failure([challenge.macaroon, getOnly], preimage: preimage, method: "POST") != nil)

        let (other, _) = try await fixture.paidToken()
        guard case .malformed? = await fixture.failure([challenge.macaroon, other.macaroon], preimage: preimage) else {
            Issue.record("two tokens in one credential must be malformed")
            return
        }
    }

    @Test func failuresHaveStableCodesAndStatuses() {
        let table: [(AuthenticationFailure, String, Int)] = [
            (.malformed("x"), "malformed_credential", 401), (.unknownToken, "unknown_token", 401),
            (.badSignature, "bad_signature", 401), (.wrongPreimage, "wrong_preimage", 401), (.expired, "token_expired", 401),
            (.wrongTool, "wrong_tool", 401), (.notAllowed("m"), "not_allowed", 401), (.unknownCaveat("k"), "unknown_caveat", 401),
            (.invalidCaveat("v"), "invalid_caveat", 401), (.spent, "token_spent", 402),
            (.storeUnavailable("db"), "store_unavailable", 503),
        ]
        for (failure, code, status) in table {
            #expect(failure.code == code)
            #expect(failure.httpStatus == status)
            #expect(!failure.description.isEmpty)
        }
        #expect(Set(table.map(\.1)).count == table.count)
    }
}

/// A secret store whose keys read back without their purchase, as keys stored before purchases were recorded.
private struct PurchaseForgetting: SecretStore {
    let store: InMemorySecretStore
    init(_ store: InMemorySecretStore) { self.store = store }

    func storeRootKey(_ key: [UInt8], for token: TokenID, purchase: Purchase, unpaidExpiresAt: Date, paidExpiresAt: Date?) async throws {
        try await store.storeRootKey(key, for: token, purchase: purchase, unpaidExpiresAt: unpaidExpiresAt, paidExpiresAt: paidExpiresAt)
    }
    func secret(for token: TokenID) async throws -> StoredSecret? {
        await store.secret(for: token).map { StoredSecret(rootKey: $0.rootKey, isPaid: $0.isPaid) }
    }
    func markPaid(_ token: TokenID) async throws { await store.markPaid(token) }
    func deleteRootKey(for token: TokenID) async throws -> Bool { await store.deleteRootKey(for: token) }
    func deleteExpiredSecrets(before date: Date) async throws -> Int { await store.deleteExpiredSecrets(before: date) }
}
