import Bolt11
import ByteEncoding
import Foundation
import Lightning
import LightningBackends
import Synchronization

/// A stand-in for a NIP-47 wallet service (what Alby Hub, Coinos or Primal run): it listens on a
/// relay for kind-23194 requests to its key, checks and decrypts them, pays through a `Wallet`
/// (in the tests the gateway's dev node), keeps a record of its payments for `lookup_invoice`,
/// and answers with encrypted kind-23195 events. How it behaves is set per test with `mode`.
public final class NWCWalletService: Sendable {
    /// What the service does with a `pay_invoice` request.
    public enum Mode: Sendable {
        /// Pays and answers.
        case pay
        /// Pays nothing and answers this NIP-47 error (e.g. PAYMENT_FAILED with a reason).
        case fail(code: String, message: String)
        /// Records the payment as pending and never answers: it stays in flight.
        case stayPending
        /// Pays at once but answers only after `release()`.
        case answerAfterRelease
        /// Holds the request until `release()`, then handles it, unless its `expiration` has passed.
        case holdRequestUntilRelease
    }

    /// The service's key: its public half goes into the connection string.
    public let key = NostrSecretKey.random()
    /// The client key this service knows (the connection's secret's public key); others get UNAUTHORIZED.
    public let clientKey = NostrSecretKey.random()
    /// The relay it listens and answers on.
    public let relay: String
    private let payer: any Wallet
    private let offered: [NWCEncryption]?
    private let state = Mutex(State())
    private let released = Mutex<[CheckedContinuation<Void, Never>]?>([])
    private let task = Mutex<Task<Void, any Error>?>(nil)

    private struct State {
        var mode: Mode = .pay
        var records: [String: PastPayment] = [:]
        var pendingInvoices: [String: String] = [:]
        var paymentsMade = 0
        var requestsSeen: [String] = []
        var ignoredExpired = 0
        var expirations: [Int] = []
        var schemesSeen: [NWCEncryption] = []
    }

    /// A service on `relay` paying through `payer`, advertising `offered` in its info event
    /// (nil: no `encryption` tag, like services from before NIP-44).
    public init(relay: String, payer: any Wallet, offering offered: [NWCEncryption]? = [.nip44, .nip04]) {
        self.relay = relay
        self.payer = payer
        self.offered = offered
    }

    /// The connection string a user would paste: this service's key, the relay, the client's secret.
    public var connectionURI: String { connectionURI(secret: clientKey.secret) }

    /// The connection string with another secret (a client this service does not know).
    public func connectionURI(secret: [UInt8]) -> String {
        let relay = self.relay.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? self.relay
        return "nostr+walletconnect://\(key.publicKeyHex)?relay=\(relay)&secret=\(Hex.encode(secret))"
    }

    /// What it does with the next `pay_invoice` (tests change it between requests).
    public var mode: Mode {
        get { state.withLock { $0.mode } }
        set { state.withLock { $0.mode = newValue } }
    }

    /// How many payments the service made through its payer.
    public var paymentsMade: Int { state.withLock { $0.paymentsMade } }
    /// The methods of the requests it read, in order.
    public var requestsSeen: [String] { state.withLock { $0.requestsSeen } }
    /// How many requests it ignored because their `expiration` had passed.
    public var ignoredExpired: Int { state.withLock { $0.ignoredExpired } }
    /// The `expiration` tags of the requests it received, in order (read before holding any).
    public var expirations: [Int] { state.withLock { $0.expirations } }
    /// The encryption of each request it read.
    public var schemesSeen: [NWCEncryption] { state.withLock { $0.schemesSeen } }

    /// Connects, publishes the info event, subscribes to requests; returns once both are in place.
    public func start() async throws {
        let ready = AsyncThrowingStream<Void, any Error>.makeStream()
        let task = Task {
            do {
                try await RelayConnection.open(url: relay) { session in
                    try await self.serve(session, ready: ready.continuation)
                }
            } catch {
                ready.continuation.finish(throwing: error)
                throw error
            }
        }
        self.task.withLock { $0 = task }
        for try await _ in ready.stream { return }
        throw RelayError.connectionLost(url: relay, reason: "the wallet service stand-in stopped before it was ready")
    }

    /// Lets held requests and answers go.
    public func release() {
        let waiting = released.withLock { waiting -> [CheckedContinuation<Void, Never>] in
            defer { waiting = nil }
            return waiting ?? []
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Disconnects, and returns once the connection is closed.
    public func stop() async {
        release()
        let task = self.task.withLock { $0 }
        task?.cancel()
        _ = await task?.result
    }

    private func serve(_ session: RelaySession, ready: AsyncThrowingStream<Void, any Error>.Continuation) async throws {
        var infoTags: [[String]] = []
        if let offered { infoTags.append(["encryption", offered.map(\.rawValue).joined(separator: " ")]) }
        let info = NostrEvent(kind: NWCKind.info, tags: infoTags, content: "pay_invoice lookup_invoice", createdAt: Self.now, key: key)
        try await session.send(.event(info))
        try await session.send(.request(subscription: "requests", filters: [NostrFilter(kinds: [NWCKind.request], tags: ["p": [key.publicKeyHex]], since: Self.now - 60)]))
        var infoAccepted = false, subscribed = false
        while true {
            switch try await session.receive() {
            case .ok(info.id, let accepted, let message):
                guard accepted else { throw RelayError.eventRefused(url: relay, message: message) }
                infoAccepted = true
            case .endOfStoredEvents("requests"):
                subscribed = true
            case .event("requests", let request):
                Task { try await self.handle(request) }
            default:
                continue
            }
            if infoAccepted && subscribed {
                ready.yield()
                ready.finish()
                infoAccepted = false  // tell once
            }
        }
    }

    private func handle(_ request: NostrEvent) async throws {
        guard (try? request.verify()) != nil, request.kind == NWCKind.request, request.tagValue("p") == key.publicKeyHex else { return }
        let expiration = request.tagValue("expiration").flatMap(Int.init)
        if let expiration { state.withLock { $0.expirations.append(expiration) } }
        if case .holdRequestUntilRelease = mode { await waitForRelease() }
        if let expiration, Date().timeIntervalSince1970 >= Double(expiration) {
            state.withLock { $0.ignoredExpired += 1 }  // NIP-47: a request received after its expiration is ignored
            return
        }
        guard let clientPublicKey = try? Hex.decode(request.pubkey) else { return }
        guard let scheme = NWCEncryption.of(request: request), offered?.contains(scheme) ?? (scheme == .nip04) else {
            return try await answer(request, scheme: .nip04, to: clientPublicKey, NWCResponse(resultType: "unknown", error: .init(code: "UNSUPPORTED_ENCRYPTION", message: "encryption not offered")))
        }
        guard let plaintext = try? scheme.decrypt(request.content, with: key, from: clientPublicKey),
              let call = try? JSONDecoder().decode(NWCRequest.self, from: Data(plaintext.utf8))
        else {
            return try await answer(request, scheme: scheme, to: clientPublicKey, NWCResponse(resultType: "unknown", error: .init(code: "OTHER", message: "cannot read the request")))
        }
        // Like real services, a key that is not connected to a wallet is told so (it can still be answered: ECDH needs no secret of the client).
        guard request.pubkey == clientKey.publicKeyHex else {
            return try await answer(request, scheme: scheme, to: clientPublicKey, NWCResponse(resultType: call.method, error: .init(code: "UNAUTHORIZED", message: "no wallet is connected to this key")))
        }
        state.withLock {
            $0.requestsSeen.append(call.method)
            $0.schemesSeen.append(scheme)
        }
        guard let response = await respond(to: call) else { return }
        try await answer(request, scheme: scheme, to: clientPublicKey, response)
    }

    /// The answer to one request; nil to answer nothing.
    private func respond(to call: NWCRequest) async -> NWCResponse? {
        switch call.method {
        case "pay_invoice":
            guard let invoice = call.params["invoice"], let hash = try? Hex.encode(Invoice.decode(invoice).paymentHash) else {
                return NWCResponse(resultType: call.method, error: .init(code: "OTHER", message: "invalid invoice"))
            }
            switch state.withLock({ $0.records[hash] }) {
            case .paid?: return NWCResponse(resultType: call.method, error: .init(code: "PAYMENT_FAILED", message: "invoice already paid"))
            case .inFlight?: return NWCResponse(resultType: call.method, error: .init(code: "PAYMENT_FAILED", message: "a payment of this invoice is in progress"))
            default: break
            }
            switch mode {
            case .fail(let code, let message):
                state.withLock { $0.records[hash] = .failed(message) }
                return NWCResponse(resultType: call.method, error: .init(code: code, message: message))
            case .stayPending:
                state.withLock {
                    $0.records[hash] = .inFlight
                    $0.pendingInvoices[hash] = invoice
                }
                return nil
            case .pay, .answerAfterRelease, .holdRequestUntilRelease:
                let response = await pay(invoice, hash: hash)
                if case .answerAfterRelease = mode { await waitForRelease() }
                return response
            }
        case "lookup_invoice":
            guard let hash = call.params["payment_hash"] else {
                return NWCResponse(resultType: call.method, error: .init(code: "OTHER", message: "payment_hash missing"))
            }
            switch state.withLock({ $0.records[hash] }) {
            case .paid(let preimage)?:
                return NWCResponse(resultType: call.method, result: .init(preimage: Hex.encode(preimage), paymentHash: hash, state: "settled", type: "outgoing", feesPaid: 0, settledAt: Int64(Self.now)))
            case .inFlight?:
                return NWCResponse(resultType: call.method, result: .init(paymentHash: hash, state: "pending", type: "outgoing"))
            case .failed?:
                return NWCResponse(resultType: call.method, result: .init(paymentHash: hash, state: "failed", type: "outgoing"))
            case .notFound?, nil:
                return NWCResponse(resultType: call.method, error: .init(code: "NOT_FOUND", message: "no payment with this hash"))
            }
        default:
            return NWCResponse(resultType: call.method, error: .init(code: "NOT_IMPLEMENTED", message: "\(call.method) is not supported"))
        }
    }

    /// Completes the payments `stayPending` left in flight (as a node does once a stuck HTLC resolves); answers nobody.
    public func finishPendingPayments() async {
        let pending = state.withLock { state -> [String: String] in
            defer { state.pendingInvoices = [:] }
            return state.pendingInvoices
        }
        for (hash, invoice) in pending { _ = await pay(invoice, hash: hash) }
    }

    private func pay(_ invoice: String, hash: String) async -> NWCResponse {
        state.withLock {
            $0.records[hash] = .inFlight
            $0.paymentsMade += 1
        }
        do {
            let preimage = try await payer.pay(invoice: invoice)
            state.withLock { $0.records[hash] = .paid(preimage: preimage) }
            return NWCResponse(resultType: "pay_invoice", result: .init(preimage: Hex.encode(preimage), feesPaid: 0))
        } catch {
            state.withLock { $0.records[hash] = .failed("\(error)") }
            return NWCResponse(resultType: "pay_invoice", error: .init(code: "PAYMENT_FAILED", message: "\(error)"))
        }
    }

    private func answer(_ request: NostrEvent, scheme: NWCEncryption, to client: [UInt8], _ response: NWCResponse) async throws {
        let content = try scheme.encrypt(String(decoding: try JSONEncoder().encode(response), as: UTF8.self), from: key, to: client)
        let event = NostrEvent(kind: NWCKind.response, tags: [["p", request.pubkey], ["e", request.id]], content: content, createdAt: Self.now, key: key)
        try await session(send: event)
    }

    private func session(send event: NostrEvent) async throws {
        // Answers go out on a connection of their own: the serving one is busy reading requests.
        try await RelayConnection.open(url: relay) { session in
            try await session.send(.event(event))
            while true {
                if case .ok(event.id, let accepted, let message) = try await session.receive() {
                    guard accepted else { throw RelayError.eventRefused(url: self.relay, message: message) }
                    return
                }
            }
        }
    }

    private func waitForRelease() async {
        await withCheckedContinuation { continuation in
            let parked = released.withLock { waiting -> Bool in
                guard waiting != nil else { return false }
                waiting!.append(continuation)
                return true
            }
            if !parked { continuation.resume() }
        }
    }

    private static var now: Int { Int(Date().timeIntervalSince1970) }
}
