import Foundation

/// NIP-47 event kinds.
public enum NWCKind {
    /// The wallet service's replaceable info event: capabilities, and the `encryption` tag.
    public static let info = 13194
    /// A client's request.
    public static let request = 23194
    /// The wallet service's response.
    public static let response = 23195
}

/// How request and response contents are encrypted: NIP-44 v2, or NIP-04 for wallet services
/// whose info event does not advertise `nip44_v2`.
public enum NWCEncryption: String, Sendable, Equatable {
    /// NIP-44 version 2, the scheme NIP-47 requires today.
    case nip44 = "nip44_v2"
    /// NIP-04, deprecated: only for wallet services that do not offer NIP-44.
    case nip04 = "nip04"

    /// The scheme a client should use with a wallet service whose info event has these tags:
    /// NIP-44 when its `encryption` tag lists `nip44_v2`; NIP-04 when the tag is absent (NIP-47's rule for
    /// legacy services) or lists only `nip04`; nil when it lists neither.
    public static func negotiated(infoTags: [[String]]) -> NWCEncryption? {
        guard let tag = infoTags.first(where: { $0.first == "encryption" }) else { return .nip04 }
        let offered = tag.dropFirst().flatMap { $0.split(separator: " ").map(String.init) }
        if offered.contains(NWCEncryption.nip44.rawValue) { return .nip44 }
        if offered.contains(NWCEncryption.nip04.rawValue) { return .nip04 }
        return nil
    }

    /// The scheme a request event says it uses (its `encryption` tag; none means NIP-04).
    public static func of(request: NostrEvent) -> NWCEncryption? {
        guard let value = request.tagValue("encryption") else { return .nip04 }
        return NWCEncryption(rawValue: value)
    }

    /// Encrypts `plaintext` from `key` to `peer` (x-only hex).
    public func encrypt(_ plaintext: String, from key: NostrSecretKey, to peer: [UInt8]) throws(NostrError) -> String {
        switch self {
        case .nip44: try NIP44.encrypt(plaintext, conversationKey: NIP44.conversationKey(secretKey: key.secret, publicKey: peer))
        case .nip04: try NIP04.encrypt(plaintext, sharedKey: NIP04.sharedKey(secretKey: key.secret, publicKey: peer))
        }
    }

    /// Decrypts `payload` sent between `key` and `peer`.
    public func decrypt(_ payload: String, with key: NostrSecretKey, from peer: [UInt8]) throws(NostrError) -> String {
        switch self {
        case .nip44: try NIP44.decrypt(payload, conversationKey: NIP44.conversationKey(secretKey: key.secret, publicKey: peer))
        case .nip04: try NIP04.decrypt(payload, sharedKey: NIP04.sharedKey(secretKey: key.secret, publicKey: peer))
        }
    }
}

/// A NIP-47 request (the decrypted content of a kind-23194 event).
public struct NWCRequest: Codable, Sendable, Equatable {
    /// `pay_invoice`, `lookup_invoice`, …
    public var method: String
    /// The method's parameters (those this client sends are all strings).
    public var params: [String: String]

    /// A request of `method` with `params`.
    public init(method: String, params: [String: String]) {
        self.method = method
        self.params = params
    }

    /// `pay_invoice` of a BOLT-11 invoice.
    public static func payInvoice(_ invoice: String) -> NWCRequest { .init(method: "pay_invoice", params: ["invoice": invoice]) }
    /// `lookup_invoice` by payment hash (hex).
    public static func lookupInvoice(paymentHash: String) -> NWCRequest { .init(method: "lookup_invoice", params: ["payment_hash": paymentHash]) }
}

/// A NIP-47 response (the decrypted content of a kind-23195 event).
public struct NWCResponse: Codable, Sendable, Equatable {
    /// The method answered (NIP-47 requires the request's method).
    public var resultType: String
    /// Set when the request failed.
    public var error: NWCErrorBody?
    /// Set when it succeeded.
    public var result: NWCResult?

    enum CodingKeys: String, CodingKey {
        case resultType = "result_type", error, result
    }

    /// A response to `resultType` with an error or a result.
    public init(resultType: String, error: NWCErrorBody? = nil, result: NWCResult? = nil) {
        self.resultType = resultType
        self.error = error
        self.result = result
    }
}

/// The `error` object of a response: one of NIP-47's codes and a human-readable message.
public struct NWCErrorBody: Codable, Sendable, Equatable {
    /// `PAYMENT_FAILED`, `UNAUTHORIZED`, `NOT_FOUND`, … (NIP-47's list).
    public var code: String
    /// Human-readable reason.
    public var message: String

    /// An error of `code` saying `message`.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// Codes that say the wallet service refused the request before paying anything.
    static let refusedBeforePaying: Set<String> = [
        "RATE_LIMITED", "NOT_IMPLEMENTED", "INSUFFICIENT_BALANCE", "QUOTA_EXCEEDED", "RESTRICTED",
        "UNAUTHORIZED", "UNSUPPORTED_ENCRYPTION",
    ]
}

/// The fields of `pay_invoice` and `lookup_invoice` results this client reads.
public struct NWCResult: Codable, Sendable, Equatable {
    /// Hex preimage: the proof of payment.
    public var preimage: String?
    /// Hex payment hash (`lookup_invoice`).
    public var paymentHash: String?
    /// `pending`, `settled`, `accepted`, `expired` or `failed` (optional in NIP-47).
    public var state: String?
    /// `incoming` (an invoice) or `outgoing` (a payment).
    public var type: String?
    /// Millisatoshis.
    public var feesPaid: Int64?
    /// Unix time of settlement, when settled.
    public var settledAt: Int64?

    enum CodingKeys: String, CodingKey {
        case preimage, paymentHash = "payment_hash", state, type, feesPaid = "fees_paid", settledAt = "settled_at"
    }

    /// A result with the given fields.
    public init(preimage: String? = nil, paymentHash: String? = nil, state: String? = nil, type: String? = nil, feesPaid: Int64? = nil, settledAt: Int64? = nil) {
        self.preimage = preimage
        self.paymentHash = paymentHash
        self.state = state
        self.type = type
        self.feesPaid = feesPaid
        self.settledAt = settledAt
    }
}
