import Bolt11
import Crypto
import Foundation

/// The embedded Lightning node, the default: everything works on one machine with no outside service.
///
/// It issues real, signed BOLT-11 invoices (regtest by default) with a random preimage and payment
/// secret, keeps them in a `DevInvoiceStore`, and `pay` settles invoices it issued itself and hands
/// back their preimage. **It moves no real money**: there are no channels and no payments, only
/// bookkeeping. Use `LNDNode` to get paid for real.
public final class DevNode: LightningNode {
    /// What the gateway prints at startup when the dev node is in use.
    public static let noRealMoneyNotice = """
        Lightning: using the embedded DEV node. It issues real signed BOLT-11 invoices but MOVES NO REAL MONEY: \
        it "pays" only invoices it issued itself, with no channel, no payment and no blockchain. \
        Set LND_REST_URL, LND_MACAROON and LND_TLS_CERT to accept real payments through LND.
        """

    /// The key the node signs invoices with.
    public let key: NodeKey
    /// The network its invoices name.
    public let network: Network
    /// The node's alias.
    public let alias: String
    private let store: any DevInvoiceStore
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - key: signs the invoices; its public key is the payee of every invoice (see `loadOrCreateKey(at:)`).
    ///   - store: where issued invoices and their preimages are kept.
    ///   - now: the clock (tests move it to reach expiry).
    public init(
        key: NodeKey, store: any DevInvoiceStore, network: Network = .regtest, alias: String = "l402-dev",
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.key = key
        self.store = store
        self.network = network
        self.alias = alias
        self.now = now
    }

    public func createInvoice(amountSats: UInt64, memo: String, expirySeconds: Int) async throws -> CreatedInvoice {
        let (amountMsat, overflow) = amountSats.multipliedReportingOverflow(by: 1000)
        guard !overflow, expirySeconds > 0 else {
            throw LightningError.invalidInvoice("amount must fit in millisatoshis and expiry must be positive")
        }
        let preimage = SecureRandom.bytes(32)
        let paymentHash = Array(SHA256.hash(data: preimage))
        let createdAt = UInt64(now().timeIntervalSince1970)
        let invoice = Invoice(
            network: network, amountMsat: amountMsat, timestamp: createdAt, paymentHash: paymentHash,
            paymentSecret: SecureRandom.bytes(32),
            description: memo, expiry: UInt64(expirySeconds), features: .standardInvoice
        )
        let paymentRequest: String
        do {
            paymentRequest = try invoice.encode(signingWith: key)
        } catch {
            throw LightningError.invalidInvoice("cannot encode the invoice: \(error)")
        }
        let created = Date(timeIntervalSince1970: TimeInterval(createdAt))
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(invoice.expiresAt))
        try await store.insert(DevInvoiceRecord(
            paymentHash: paymentHash, preimage: preimage, paymentRequest: paymentRequest, amountMsat: amountMsat,
            memo: memo, createdAt: created, expiresAt: expiresAt
        ))
        return CreatedInvoice(paymentRequest: paymentRequest, paymentHash: paymentHash, expiresAt: expiresAt)
    }

    public func invoiceState(paymentHash: [UInt8]) async throws -> InvoiceState {
        guard let record = try await store.record(paymentHash: paymentHash) else { throw LightningError.invoiceNotFound }
        if record.settledAt != nil { return .settled }
        return now() >= record.expiresAt ? .expired : .open
    }

    /// Settles one of our own invoices: checks signature, network, payee, expiry, then marks it
    /// settled atomically. Idempotent: paying an invoice that is already settled returns the same
    /// preimage and settles nothing again, so a payer that crashed after paying can resume (in dev
    /// mode anyone may settle any invoice, so this reveals nothing a caller could not get anyway).
    public func pay(paymentRequest: String, feeLimitSats: UInt64) async throws -> PaymentResult {
        let invoice: Invoice
        do {
            invoice = try Invoice.decode(paymentRequest)
        } catch {
            throw LightningError.invalidInvoice("\(error)")
        }
        guard invoice.network == network else {
            throw LightningError.invalidInvoice("invoice is for \(invoice.network), this dev node runs on \(network)")
        }
        guard invoice.payee == key.publicKey else { throw LightningError.notOwnInvoice }
        // Signed by our key but unknown to the store (made elsewhere with our key, or the store was reset).
        guard let record = try await store.record(paymentHash: invoice.paymentHash) else { throw LightningError.invoiceNotFound }
        let result = PaymentResult(paymentHash: invoice.paymentHash, preimage: record.preimage, feeMsat: 0)
        guard record.settledAt == nil else { return result }
        let moment = now()
        guard moment < record.expiresAt else { throw LightningError.invoiceExpired }
        // Losing the race to a concurrent payer is fine: the invoice is settled either way, once.
        _ = try await store.markSettled(paymentHash: invoice.paymentHash, at: moment)
        return result
    }

    /// The dev node "pays" only its own invoices, so its payments are its settled invoices:
    /// `.succeeded` with the preimage once settled, `.unknown` otherwise (it has no in-flight state).
    public func paymentStatus(paymentHash: [UInt8]) async throws -> PaymentStatus {
        guard let record = try await store.record(paymentHash: paymentHash), record.settledAt != nil else { return .unknown }
        return .succeeded(PaymentResult(paymentHash: record.paymentHash, preimage: record.preimage, feeMsat: 0))
    }

    public func info() async throws -> NodeInfo {
        NodeInfo(publicKey: key.publicKey, alias: alias, network: network)
    }
}
