import Bolt11
import ByteEncoding
import Crypto
import Foundation
import Synchronization

/// The "Lightning network" the stand-ins share in one test: every invoice a stand-in issues is
/// recorded here with its preimage, so another stand-in paying it settles it and learns the
/// preimage, as a real payment would. Invoices are real signed BOLT-11 (regtest) strings.
public final class StandInNetwork: Sendable {
    public struct Invoice: Sendable {
        public var request: String
        public var hash: [UInt8]
        public var preimage: [UInt8]
        public var amountSat: Int64
        public var memo: String
        public var createdAt: Int64
        public var expiry: Int64
        public var settled = false
        /// The payee holds the HTLC: a payment stays pending until `release`.
        public var holds = false
        public var expiresAt: Int64 { createdAt + expiry }
    }

    private let invoices = Mutex<[[UInt8]: Invoice]>([:])
    /// Every invoice issued from now on holds its payments (set by a test before the invoice exists).
    private let holdNew = Mutex(false)

    public init() {}

    /// Payments of every invoice issued from now on stay pending at the payee until `release`.
    public func holdNewInvoices() { holdNew.withLock { $0 = true } }

    /// Every invoice issued so far.
    public var all: [Invoice] { invoices.withLock { Array($0.values) } }

    /// Issues a signed invoice of `key`'s node and records it.
    public func issue(amountSat: Int64, memo: String, expiry: Int64, key: NodeKey, createdAt: Int64? = nil) throws -> Invoice {
        let preimage = Self.randomBytes(32)
        let hash = Array(SHA256.hash(data: preimage))
        let created = createdAt ?? Int64(Date().timeIntervalSince1970)
        let request = try Bolt11.Invoice(
            network: .regtest, amountMsat: UInt64(amountSat) * 1000, timestamp: UInt64(created), paymentHash: hash,
            paymentSecret: Self.randomBytes(32), description: memo, expiry: UInt64(expiry), features: .standardInvoice
        ).encode(signingWith: key)
        var invoice = Invoice(request: request, hash: hash, preimage: preimage, amountSat: amountSat, memo: memo, createdAt: created, expiry: expiry)
        invoice.holds = holdNew.withLock { $0 }
        invoices.withLock { $0[hash] = invoice }
        return invoice
    }

    public func invoice(hash: [UInt8]) -> Invoice? { invoices.withLock { $0[hash] } }

    public func invoice(request: String) -> Invoice? {
        invoices.withLock { all in all.values.first { $0.request == request } }
    }

    /// What a payer's payment attempt finds at the payee.
    public enum Arrival: Sendable {
        case settled(preimage: [UInt8])
        case held
        case alreadyPaid
        case unknownPayee
        case expired
    }

    /// A payment of `request` arrives at its payee.
    public func deliver(request: String) -> Arrival {
        invoices.withLock { all in
            guard let found = all.values.first(where: { $0.request == request }) else { return .unknownPayee }
            if found.settled { return .alreadyPaid }
            if Int64(Date().timeIntervalSince1970) >= found.expiresAt { return .expired }
            if found.holds { return .held }
            all[found.hash]?.settled = true
            return .settled(preimage: found.preimage)
        }
    }

    /// The payee of `hash` settles it (a test marking an invoice paid by someone outside).
    public func settle(hash: [UInt8]) { invoices.withLock { $0[hash]?.settled = true } }
    /// Payments of `hash` stay pending at the payee until `release`.
    public func hold(hash: [UInt8]) { invoices.withLock { $0[hash]?.holds = true } }
    /// The payee settles a held payment; returns its preimage.
    @discardableResult
    public func release(hash: [UInt8]) -> [UInt8]? {
        invoices.withLock { all in
            all[hash]?.holds = false
            all[hash]?.settled = true
            return all[hash]?.preimage
        }
    }
    public static func randomBytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255) } }
}
