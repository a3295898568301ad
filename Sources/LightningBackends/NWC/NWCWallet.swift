import Bolt11
import ByteEncoding
import Crypto
import Lightning
import Logging

/// Pays through a Nostr Wallet Connect (NIP-47) wallet service: Alby Hub, Coinos, Primal, … —
/// `pay_invoice` to pay, `lookup_invoice` to learn what became of a payment.
///
/// Requests are kind-23194 events signed with the connection's secret and encrypted with NIP-44 v2,
/// or NIP-04 when the wallet service's info event does not offer NIP-44. NIP-47 has no fee limit
/// parameter: what a payment may cost is the connection's budget, set in the wallet service.
public struct NWCWallet: Wallet, CustomStringConvertible {
    /// The connection: wallet service key, relays, client secret.
    public let connection: NWCConnectionURI
    /// How long the answer to `pay_invoice` may take once the request is out; also its `expiration`,
    /// after which a wallet service that honours NIP-47 ignores it. Without an answer by then the
    /// outcome is unknown, and the client looks the payment up.
    public let timeout: Duration
    /// How long the answer to `lookup_invoice` may take once the request is out.
    public let lookupTimeout: Duration
    /// How long reaching a relay and subscribing may take, before any request goes out.
    public let connectTimeout: Duration
    private let exchange: NWCExchange

    /// A wallet for `connection`; `logger` receives the WebSocket client's diagnostics (never the secret).
    public init(
        connection: NWCConnectionURI, timeout: Duration = .seconds(60), lookupTimeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(30), logger: Logger = Logger(label: "nwc", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.connection = connection
        self.timeout = timeout
        self.lookupTimeout = lookupTimeout
        self.connectTimeout = connectTimeout
        self.exchange = NWCExchange(connection: connection, encryption: NegotiatedEncryption(), logger: logger)
    }

    /// Names the wallet for `l402 fetch -v`: the service's key and relays, never the secret.
    public var description: String { "Nostr Wallet Connect (\(connection))" }

    public func pay(invoice: String) async throws -> [UInt8] {
        let paymentHash: [UInt8]
        do {
            paymentHash = try Invoice.decode(invoice).paymentHash
        } catch {
            throw WalletError.failed("not a BOLT-11 invoice: \(error)")
        }
        let response = try await send(.payInvoice(invoice), expecting: "pay_invoice", timeout: timeout)
        if let error = response.error {
            if NWCErrorBody.refusedBeforePaying.contains(error.code) { throw WalletError.failed("\(error.code): \(error.message)") }
            // PAYMENT_FAILED and the rest may follow an earlier payment of this invoice ("already paid"),
            // or hide one that went out: the wallet's record decides.
            switch try await pastPayment(paymentHash: paymentHash) {
            case .paid(let preimage): return preimage
            case .inFlight: throw WalletError.inFlight
            case .notFound, .failed: throw WalletError.failed("\(error.code): \(error.message)")
            }
        }
        guard let hex = response.result?.preimage else { throw WalletError.malformedResponse("pay_invoice result has no preimage") }
        return try Self.preimage(hex, paymentHash: paymentHash)
    }

    public func pastPayment(paymentHash: [UInt8]) async throws -> PastPayment {
        let response = try await send(.lookupInvoice(paymentHash: Hex.encode(paymentHash)), expecting: "lookup_invoice", timeout: lookupTimeout)
        if let error = response.error {
            if error.code == "NOT_FOUND" { return .notFound }
            throw WalletError.failed("lookup_invoice: \(error.code): \(error.message)")
        }
        guard let result = response.result else { throw WalletError.malformedResponse("lookup_invoice answered neither result nor error") }
        let preimage = result.preimage.flatMap { $0.isEmpty ? nil : $0 }
        switch result.state {
        case "settled"?:
            guard let preimage else { throw WalletError.malformedResponse("lookup_invoice: settled without a preimage") }
            return .paid(preimage: try Self.preimage(preimage, paymentHash: paymentHash))
        case "pending"?, "accepted"?:
            return .inFlight
        case "failed"?, "expired"?:
            return .failed("the wallet service reports the payment \(result.state!)")
        case nil:
            // Services from before `state`: a preimage with a settlement time means paid; else it may still go out.
            if let preimage, result.settledAt != nil { return .paid(preimage: try Self.preimage(preimage, paymentHash: paymentHash)) }
            return .inFlight
        case let other?:
            throw WalletError.malformedResponse("lookup_invoice state '\(other.prefix(40))'")
        }
    }

    /// One request; transport outcomes become the `WalletError` that tells the client whether anything may have been paid.
    private func send(_ request: NWCRequest, expecting method: String, timeout: Duration) async throws(WalletError) -> NWCResponse {
        let response: NWCResponse
        do {
            response = try await exchange.send(request, timeout: timeout, connectTimeout: connectTimeout)
        } catch {
            switch error {
            // Nothing went out, so nothing can have been paid: `.failed` lets the client drop the token at once.
            case .notSent(let why): throw .failed("the request did not reach the wallet service: \(why)")
            case .refused(let why): throw .failed("the relay refused the request: \(why)")
            case .noAnswer(let why): throw .unreachable(why)  // not .failed: it may have been paid; the client looks it up
            case .malformed(let why): throw .malformedResponse(why)
            }
        }
        // An error is read whatever its result_type (services that cannot read a request cannot name its method).
        guard response.resultType == method || response.error != nil else {
            throw .malformedResponse("answer to \(method) has result_type '\(response.resultType.prefix(40))'")
        }
        return response
    }

    /// A 32-byte hex preimage that hashes to `paymentHash`.
    private static func preimage(_ hex: String, paymentHash: [UInt8]) throws(WalletError) -> [UInt8] {
        guard let bytes = try? Hex.decode(hex), bytes.count == 32 else { throw .malformedResponse("the preimage is not 32 bytes of hex") }
        guard constantTimeEqual(Array(SHA256.hash(data: bytes)), paymentHash) else {
            throw .malformedResponse("the preimage does not hash to the invoice's payment hash")
        }
        return bytes
    }
}
