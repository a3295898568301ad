import ByteEncoding

/// The `request` of a Lightning `charge` challenge (draft-lightning-charge-00 §7): what to pay.
///
/// On the wire it is the base64url (no padding) of its RFC 8785 canonical JSON:
/// `{"amount":"21","currency":"sat","description":…,"methodDetails":{"invoice":"lnbc…",
/// "network":"mainnet","paymentHash":"<hex>"}}`. The invoice is authoritative; `paymentHash`
/// and `network` are conveniences that must agree with it (the client checks, see `L402Client`).
public struct LightningChargeRequest: Sendable, Equatable {
    /// The Lightning network an invoice is for.
    public enum Network: String, Sendable, CaseIterable {
        /// Bitcoin mainnet.
        case mainnet
        /// Regtest.
        case regtest
        /// Signet.
        case signet
    }

    /// The price in satoshis (a positive integer, sent as a decimal string).
    public var amountSats: UInt64
    /// Shown to the payer; also the invoice's description. Not bound to anything else.
    public var description: String?
    /// The BOLT-11 invoice.
    public var invoice: String
    /// The invoice's payment hash (32 bytes), when the server states it.
    public var paymentHash: [UInt8]?
    /// The invoice's network, when the server states it (absent means mainnet).
    public var network: Network?
    /// The merchant's reference, when any (draft: `externalId`).
    public var externalID: String?

    /// A charge of `amountSats` for `invoice` (with its payment hash and network), with an optional description and external id.
    public init(
        amountSats: UInt64, description: String? = nil, invoice: String, paymentHash: [UInt8]? = nil,
        network: Network? = nil, externalID: String? = nil
    ) {
        self.amountSats = amountSats
        self.description = description
        self.invoice = invoice
        self.paymentHash = paymentHash
        self.network = network
        self.externalID = externalID
    }

    /// The only currency of the Lightning method.
    public static let currency = "sat"

    /// The JSON object (members in the draft's order; canonical order is applied when encoding).
    public var json: JSONValue {
        .object(dropping: [
            ("amount", .string(String(amountSats))),
            ("currency", .string(Self.currency)),
            ("description", description.map(JSONValue.string)),
            ("externalId", externalID.map(JSONValue.string)),
            ("methodDetails", .object(dropping: [
                ("invoice", .string(invoice)),
                ("paymentHash", paymentHash.map { .string(Hex.encode($0)) }),
                ("network", network.map { .string($0.rawValue) }),
            ])),
        ])
    }

    /// The `request` auth-param: base64url of the canonical JSON.
    public var encoded: String { json.canonicalBase64URL }

    /// Longest `request` parameter read (an invoice is well under 2 KB).
    public static let maximumEncodedLength = 8 * 1024

    /// Reads a `request` parameter strictly: base64url, a JSON object, `amount` a positive decimal
    /// integer string without leading zeros, `currency` exactly `sat`, `methodDetails.invoice` a
    /// string, `paymentHash` 64 lowercase hex digits and `network` a known name when present.
    /// Unknown members are ignored, as the draft requires.
    public init(encoded: String) throws(PaymentRequestError) {
        guard encoded.utf8.count <= Self.maximumEncodedLength else { throw .tooLong(encoded.utf8.count) }
        let bytes: [UInt8]
        do { bytes = try Base64URL.decode(encoded) } catch { throw .notBase64URL(error) }
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) } catch { throw .notJSON(error) }
        try self.init(json: json)
    }

    /// Reads the decoded JSON object (see `init(encoded:)`).
    public init(json: JSONValue) throws(PaymentRequestError) {
        guard json.objectMembers != nil else { throw .notAnObject }
        guard let amount = json["amount"] else { throw .missingField("amount") }
        guard let amountText = amount.stringValue else { throw .wrongType("amount", expected: "a string") }
        guard let sats = Self.positiveDecimal(amountText) else { throw .invalidAmount(amountText) }
        guard let currency = json["currency"] else { throw .missingField("currency") }
        guard currency.stringValue == Self.currency else { throw .unsupportedCurrency("\(currency.canonicalString)") }
        var description: String?
        if let value = json["description"] {
            guard let text = value.stringValue else { throw .wrongType("description", expected: "a string") }
            description = text
        }
        var externalID: String?
        if let value = json["externalId"] {
            guard let text = value.stringValue else { throw .wrongType("externalId", expected: "a string") }
            externalID = text
        }
        guard let details = json["methodDetails"] else { throw .missingField("methodDetails") }
        guard details.objectMembers != nil else { throw .wrongType("methodDetails", expected: "an object") }
        guard let invoiceValue = details["invoice"] else { throw .missingField("methodDetails.invoice") }
        guard let invoice = invoiceValue.stringValue, !invoice.isEmpty else {
            throw .wrongType("methodDetails.invoice", expected: "a non-empty string")
        }
        var paymentHash: [UInt8]?
        if let value = details["paymentHash"] {
            guard let hex = value.stringValue, let hash = LowercaseHex.decode32(hex) else {
                throw .invalidPaymentHash
            }
            paymentHash = hash
        }
        var network: Network?
        if let value = details["network"] {
            guard let name = value.stringValue, let known = Network(rawValue: name) else {
                throw .unknownNetwork(value.stringValue ?? value.canonicalString)
            }
            network = known
        }
        self.init(
            amountSats: sats, description: description, invoice: invoice, paymentHash: paymentHash, network: network,
            externalID: externalID)
    }

    /// "1" … "18446744073709551615"; no sign, no leading zero, no zero.
    static func positiveDecimal(_ text: String) -> UInt64? {
        guard let first = text.utf8.first, first != UInt8(ascii: "0"),
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return UInt64(text)
    }
}

/// Why a `request` parameter is not a Lightning `charge` request.
public enum PaymentRequestError: Error, Equatable, CustomStringConvertible {
    /// The request parameter is longer than this many bytes.
    case tooLong(Int)
    /// It is not base64url.
    case notBase64URL(Base64URL.DecodingError)
    /// It is not JSON.
    case notJSON(JSONParseError)
    /// Its JSON is not an object.
    case notAnObject
    /// A required field is missing.
    case missingField(String)
    /// A field has the wrong JSON type (the expected one named).
    case wrongType(String, expected: String)
    /// The amount is not a positive whole number of sats.
    case invalidAmount(String)
    /// The currency is not `sat`.
    case unsupportedCurrency(String)
    /// The payment hash is not 64 hex digits.
    case invalidPaymentHash
    /// The network names none this library knows.
    case unknownNetwork(String)

    public var description: String {
        switch self {
        case .tooLong(let n): "request is \(n) bytes; the limit is \(LightningChargeRequest.maximumEncodedLength)"
        case .notBase64URL(let error): "request is not base64url: \(error)"
        case .notJSON(let error): "request is not JSON: \(error)"
        case .notAnObject: "request is not a JSON object"
        case .missingField(let name): "request lacks \(name)"
        case .wrongType(let name, let expected): "request's \(name) is not \(expected)"
        case .invalidAmount(let text): "request's amount \(text.debugDescription) is not a positive whole number of sats"
        case .unsupportedCurrency(let c): "request's currency \(c) is not \"sat\""
        case .invalidPaymentHash: "request's methodDetails.paymentHash is not 64 lowercase hex digits"
        case .unknownNetwork(let n): "request's methodDetails.network \(n.debugDescription) is not mainnet, regtest or signet"
        }
    }
}

/// Lowercase-only hex of exactly 32 bytes, as the draft writes payment hashes and preimages.
enum LowercaseHex {
    static func decode32(_ text: String) -> [UInt8]? {
        guard text.utf8.count == 64,
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) })
        else { return nil }
        return try? Hex.decode(text)
    }
}
