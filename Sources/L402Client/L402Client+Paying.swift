import ByteEncoding
import Crypto
import Foundation
import L402

/// Paying a challenge, and resuming one an interrupted run left pending, so that one payment hash
/// is never paid twice: before paying again, and after a payment whose outcome is unclear, the
/// wallet's own record of the payment (`Wallet.pastPayment`) decides.
extension L402Client {
    func pay(
        _ challenged: L402Response, request: L402Request, origin: Origin, path: String
    ) async throws(L402ClientError) -> (CachedToken, L402Payment) {
        let wwwAuthenticate = challenged.headers["WWW-Authenticate"]
        let chosen = try ChallengeCheck.choose(
            wwwAuthenticate: wwwAuthenticate, body: challenged.body, requestBody: request.body, preference: preference,
            policy: invoicePolicy)
        guard let wallet else { throw .noWallet }
        let pending: CachedToken
        switch chosen {
        case .l402(let offer):
            let scope = Self.scope(path: path, tool: offer.tool)
            onEvent(.challengeAccepted(amountSats: offer.amountSats, tool: offer.tool, scope: scope, calls: offer.calls, expiresAt: offer.tokenExpiresAt))
            pending = CachedToken(
                origin: origin.description, scope: scope, macaroon: offer.challenge.macaroon.encoded(),
                invoice: offer.challenge.invoice, paymentHash: Hex.encode(offer.paymentHash), tokenID: offer.tokenID.hex,
                amountSats: offer.amountSats, tool: offer.tool, callsLimit: offer.calls, expiresAt: offer.tokenExpiresAt,
                invoiceExpiresAt: offer.invoiceExpiresAt)
        case .payment(let offer):
            // One call, for this request: the scope is the path itself.
            onEvent(.challengeAccepted(amountSats: offer.amountSats, tool: nil, scope: path, calls: 1, expiresAt: offer.expiresAt))
            pending = CachedToken(
                origin: origin.description, scope: path, macaroon: "", invoice: offer.request.invoice,
                paymentHash: Hex.encode(offer.paymentHash), amountSats: offer.amountSats, callsLimit: 1,
                expiresAt: offer.expiresAt, invoiceExpiresAt: offer.invoiceExpiresAt, paymentChallenge: offer.challenge.headerValue)
        }
        onEvent(.schemeChosen(chosen: pending.scheme, offered: Array(Set(AuthSchemes.offered(in: wwwAuthenticate))).sorted()))
        let reservation: BudgetReservation
        do {
            reservation = try await budget.reserve(sats: pending.amountSats, host: origin.hostAndPort)
        } catch {
            throw .overBudget(error)
        }
        do {
            try await cache.savePending(pending)
        } catch {
            await budget.refund(reservation)
            throw .cache(error as? TokenCacheError ?? .io(path: cache.directory, reason: "\(error)"))
        }
        return try await payAndRecord(pending, wallet: wallet, reservation: reservation, resumed: false)
    }

    /// Pays a saved pending token and records the preimage; settles the budget reservation. When
    /// the wallet fails without saying that nothing was paid (already paid, in flight, unreachable,
    /// unreadable), its record of the payment is asked: a payment that went through is used.
    private func payAndRecord(
        _ pending: CachedToken, wallet: any Wallet, reservation: BudgetReservation, resumed: Bool
    ) async throws(L402ClientError) -> (CachedToken, L402Payment) {
        let preimage: [UInt8]
        var recovered = false
        do {
            preimage = try await wallet.pay(invoice: pending.invoice)
        } catch {
            let walletError = error as? WalletError
            if case .failed? = walletError {
                await budget.refund(reservation)
                _ = try? await cache.remove(pending)  // definitely not paid: nothing to resume
                throw .paymentFailed("\(error)")
            }
            switch await lookUp(pending, wallet: wallet) {
            case .paid(let found)?:
                preimage = found
                // Resuming, "already paid" means the interrupted run paid it: nothing is spent now.
                recovered = resumed && walletError == .alreadyPaid
            case .notFound?, .failed?:
                await budget.refund(reservation)
                _ = try? await cache.remove(pending)  // the wallet has no payment of it: nothing of ours to resume
                throw .paymentFailed(walletError == .alreadyPaid ? "the invoice was already paid, not by this wallet" : "\(error)")
            case .inFlight?:
                await budget.commit(reservation)  // it may still go through
                await cache.abandon(pending)
                throw .paymentInFlight(tokenID: pending.shortID)
            case nil:
                await budget.commit(reservation)  // the outcome is unknown: count it as spent
                await cache.abandon(pending)      // kept pending: the next request for this scope resumes it
                throw .paymentFailed("\(error); its outcome is unknown, so token \(pending.shortID) stays pending and is resumed later")
            }
        }
        if recovered { await budget.refund(reservation) } else { await budget.commit(reservation) }
        return try await record(pending, preimage: preimage, resumed: resumed, recovered: recovered)
    }

    /// The wallet's record of the pending token's payment; nil when the wallet cannot tell.
    private func lookUp(_ pending: CachedToken, wallet: any Wallet) async -> PastPayment? {
        guard let hash = try? Hex.decode(pending.paymentHash), hash.count == 32 else { return nil }
        return try? await wallet.pastPayment(paymentHash: hash)
    }

    /// Checks the preimage against the payment hash, stores the paid token and tells.
    private func record(
        _ pending: CachedToken, preimage: [UInt8], resumed: Bool, recovered: Bool
    ) async throws(L402ClientError) -> (CachedToken, L402Payment) {
        guard Hex.encode(Array(SHA256.hash(data: preimage))) == pending.paymentHash else {
            _ = try? await cache.remove(pending)
            throw .paymentFailed("the wallet's preimage does not hash to the invoice's payment hash")
        }
        let paid = try await cached { try await self.cache.markPaid(pending, preimage: preimage) }
        let payment = L402Payment(
            amountSats: paid.amountSats, paymentHash: paid.paymentHash, origin: paid.origin, scope: paid.scope,
            tool: paid.tool, resumed: resumed, recovered: recovered, scheme: paid.scheme)
        onEvent(.paid(payment))
        return (paid, payment)
    }

    // MARK: - Resuming

    /// Finishes a payment an earlier run saved but did not complete (it may have crashed before or
    /// after paying): with the preimage when the wallet already paid it, else by paying it now.
    func resumePending(_ request: L402Request, origin: Origin, path: String) async throws(L402ClientError) -> L402Response? {
        guard let wallet else { return nil }
        let pending = try await cached { try await self.cache.claimPending(origin: origin, path: path) }
        var resumedToken: (CachedToken, L402Payment)?
        for (index, token) in pending.enumerated() {
            if resumedToken != nil {
                await cache.abandon(token)  // one is enough for this request; the rest stay for later
                continue
            }
            do {
                resumedToken = try await resume(token, wallet: wallet, origin: origin)
            } catch .paymentInFlight(let id) {
                for later in pending.dropFirst(index + 1) { await cache.abandon(later) }
                throw .paymentInFlight(tokenID: id)  // paying afresh could pay for this request twice
            } catch {
                onEvent(.pendingDropped(id: token.shortID, reason: error.description))
            }
        }
        guard let resumed = resumedToken else { return nil }
        let (token, payment) = resumed
        var response = try await execute(request, authorization: token.authorizationHeader)
        response.payments = [payment]
        response.token = token
        await keepReceipt(of: &response, token: token)
        return response
    }

    /// Reads the `Payment-Receipt` of a successful `Payment` call and keeps it with its token.
    /// A receipt that does not read is ignored: the call succeeded all the same.
    func keepReceipt(of response: inout L402Response, token: CachedToken) async {
        guard token.paymentChallenge != nil, (200..<300).contains(response.status),
              let value = response.headers["Payment-Receipt"].first,
              let receipt = try? PaymentReceipt(parsing: value)
        else { return }
        response.receipt = receipt
        if let stored = try? await cache.recordReceipt(receipt, for: token) { response.token = stored }
        onEvent(.receiptReceived(receipt))
    }

    /// One pending token: nil when it was dropped (its invoice expired unpaid) or left for later (over budget).
    private func resume(_ token: CachedToken, wallet: any Wallet, origin: Origin) async throws(L402ClientError) -> (CachedToken, L402Payment)? {
        switch await lookUp(token, wallet: wallet) {
        case .paid(let preimage)?:
            // The interrupted run paid it: nothing is paid now, and nothing is charged to this budget.
            return try await record(token, preimage: preimage, resumed: true, recovered: true)
        case .inFlight?:
            await cache.abandon(token)
            throw .paymentInFlight(tokenID: token.shortID)
        case .notFound?, .failed?, nil:
            break  // not paid (or the wallet cannot tell: paying is still safe, a wallet never pays one hash twice)
        }
        if token.invoiceExpiresAt <= Date() {
            onEvent(.pendingDropped(id: token.shortID, reason: "its invoice expired unpaid"))
            _ = try? await cache.remove(token)
            return nil
        }
        let reservation: BudgetReservation
        do {
            reservation = try await budget.reserve(sats: token.amountSats, host: origin.hostAndPort)
        } catch {
            await cache.abandon(token)
            return nil
        }
        return try await payAndRecord(token, wallet: wallet, reservation: reservation, resumed: true)
    }
}
