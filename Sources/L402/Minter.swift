import Foundation
import Lightning
import Macaroons

/// Makes L402 challenges: an invoice from the Lightning node, a fresh token id and root key (stored
/// through the `SecretStore` with the `Purchase`: what was sold, which the ledger's sats come from),
/// and a macaroon bound to both.
public struct Minter: Sendable {
    /// The node that issues the invoices.
    public let node: any LightningNode
    /// Where each token's root key is stored with what was sold.
    public let secrets: any SecretStore
    /// Written into macaroons as their location (informational).
    public let location: String
    /// How long invoices stay payable.
    public let invoiceExpirySeconds: Int
    /// How long after the invoice expires the key of an unpaid token is kept, so a payment made just
    /// before expiry can still be presented.
    public let paymentGraceSeconds: Int
    private let clock: @Sendable () -> Date

    /// Why a mint request was refused before talking to the node.
    public enum MintError: Error, Equatable, CustomStringConvertible {
        /// The tool name cannot stand in a caveat.
        case invalidTool(String)
        /// The number of calls is not positive.
        case invalidCalls(Int)
        /// The validity in seconds is not positive.
        case invalidValidity(Int)
        /// The price is zero.
        case invalidPrice

        public var description: String {
            switch self {
            case .invalidTool(let tool): "tool slug \(tool.debugDescription) must be a non-empty name without spaces, ',' ':' or '='"
            case .invalidCalls(let n): "calls per payment must be at least 1, not \(n)"
            case .invalidValidity(let n): "validity must be positive seconds, not \(n)"
            case .invalidPrice: "price must be at least 1 sat"
            }
        }
    }

    /// A minter issuing invoices on `node`, storing root keys in `secrets`; tokens name `location`, invoices expire after `invoiceExpirySeconds`, and `clock` tells the time.
    public init(
        node: any LightningNode, secrets: any SecretStore, location: String, invoiceExpirySeconds: Int = 600,
        paymentGraceSeconds: Int = 3600, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.node = node
        self.secrets = secrets
        self.location = location
        self.invoiceExpirySeconds = invoiceExpirySeconds
        self.paymentGraceSeconds = paymentGraceSeconds
        self.clock = clock
    }

    /// Issues a challenge for `calls` calls of `tool` at `priceSats`. The macaroon carries the caveats
    /// `tool`, `amount_sats`, the `restrictions` given, `expires_at` (now + `validForSeconds`, when
    /// given) and `calls`. Throws `MintError`, the node's `LightningError`, or the store's error.
    public func mint(
        tool: String, priceSats: UInt64, calls: Int, validForSeconds: Int?, memo: String, restrictions: [L402Caveat] = []
    ) async throws -> MintedChallenge {
        guard (try? L402Caveat(predicate: "tool=\(tool)")) == .tool(tool) else { throw MintError.invalidTool(tool) }
        guard calls >= 1 else { throw MintError.invalidCalls(calls) }
        guard priceSats >= 1 else { throw MintError.invalidPrice }
        if let validForSeconds, validForSeconds <= 0 { throw MintError.invalidValidity(validForSeconds) }

        let now = clock()
        let invoice = try await node.createInvoice(amountSats: priceSats, memo: memo, expirySeconds: invoiceExpirySeconds)
        let tokenID = TokenID.random()
        let identifier = try L402Identifier(paymentHash: invoice.paymentHash, tokenID: tokenID)
        let rootKey = SecureRandom.bytes(32)
        let tokenExpiry = validForSeconds.map { UInt64(max(0, now.timeIntervalSince1970.rounded(.down))) + UInt64($0) }

        var caveats: [L402Caveat] = [.tool(tool), .amountSats(priceSats)] + restrictions
        if let tokenExpiry { caveats.append(.expiresAt(unixSeconds: tokenExpiry)) }
        caveats.append(.calls(calls))
        let macaroon = caveats.reduce(Macaroon(rootKey: rootKey, identifier: identifier.encoded(), location: location)) {
            $0.addingFirstPartyCaveat($1.predicate)
        }

        try await secrets.storeRootKey(
            rootKey, for: tokenID, purchase: Purchase(tool: tool, amountSats: priceSats, calls: calls),
            unpaidExpiresAt: invoice.expiresAt.addingTimeInterval(TimeInterval(paymentGraceSeconds)),
            paidExpiresAt: tokenExpiry.map { Date(timeIntervalSince1970: Double($0)) })

        return MintedChallenge(
            macaroon: macaroon, invoice: invoice.paymentRequest, paymentHash: invoice.paymentHash, tokenID: tokenID,
            amountSats: priceSats, calls: calls, expiresAt: invoice.expiresAt,
            tokenExpiresAt: tokenExpiry.map { Date(timeIntervalSince1970: Double($0)) }, tool: tool)
    }
}
