import ByteEncoding
import Foundation

/// The `Payment-Receipt` of a successful Lightning `charge` (draft-lightning-charge-00 §9.2):
/// base64url of `{"challengeId","method":"lightning","reference":<payment hash hex>,
/// "status":"success","timestamp":<RFC 3339>}`. It never carries the preimage.
public struct PaymentReceipt: Sendable, Equatable, Codable {
    /// Always `success`: receipts exist only for successes.
    public var status: String
    /// The payment method (`lightning`).
    public var method: String
    /// RFC 3339 settlement time.
    public var timestamp: String
    /// For Lightning, the payment hash, lowercase hex.
    public var reference: String
    /// The challenge `id` the payment answered (optional in the core draft, required by Lightning's).
    public var challengeID: String?

    enum CodingKeys: String, CodingKey {
        case status, method, timestamp, reference
        case challengeID = "challengeId"
    }

    /// A successful receipt for `challengeID`, paid with `method` at `timestamp`, with the payment's `reference`.
    public init(method: String = PaymentChallenge.lightning, timestamp: String, reference: String, challengeID: String?) {
        self.status = "success"
        self.method = method
        self.timestamp = timestamp
        self.reference = reference
        self.challengeID = challengeID
    }

    /// The receipt of a verified Lightning payment, settled at `now`.
    public init(verified: VerifiedPayment, now: Date = Date()) {
        self.init(
            timestamp: PaymentTime.format(now), reference: Hex.encode(verified.paymentHash), challengeID: verified.challengeID)
    }

    /// The header value.
    public var headerValue: String {
        JSONValue.object(dropping: [
            ("status", .string(status)), ("method", .string(method)), ("timestamp", .string(timestamp)),
            ("reference", .string(reference)), ("challengeId", challengeID.map(JSONValue.string)),
        ]).canonicalBase64URL
    }

    /// Longest header value read.
    public static let maximumHeaderLength = 8 * 1024

    /// Reads a `Payment-Receipt` value strictly: base64url of a JSON object whose `status` is
    /// `success` and whose `method`, `timestamp` and `reference` are non-empty strings
    /// (`challengeId` a string when present). Other members (method extensions) are ignored.
    public init(parsing headerValue: String) throws(PaymentReceiptError) {
        guard headerValue.utf8.count <= Self.maximumHeaderLength else { throw .tooLong(headerValue.utf8.count) }
        let bytes: [UInt8]
        do { bytes = try Base64URL.decode(headerValue.trimmingCharacters(in: .whitespaces)) } catch { throw .notBase64URL(error) }
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) } catch { throw .notJSON(error) }
        guard json.objectMembers != nil else { throw .notAnObject }
        func text(_ name: String) throws(PaymentReceiptError) -> String {
            guard let value = json[name] else { throw .missingField(name) }
            guard let s = value.stringValue, !s.isEmpty else { throw .wrongType(name) }
            return s
        }
        guard try text("status") == "success" else { throw .notSuccess }
        var challengeID: String?
        if let value = json["challengeId"] {
            guard let s = value.stringValue else { throw .wrongType("challengeId") }
            challengeID = s
        }
        self.init(method: try text("method"), timestamp: try text("timestamp"), reference: try text("reference"), challengeID: challengeID)
    }
}

/// Why a `Payment-Receipt` value does not read.
public enum PaymentReceiptError: Error, Equatable, CustomStringConvertible {
    /// The header is longer than this many bytes.
    case tooLong(Int)
    /// It is not base64url.
    case notBase64URL(Base64URL.DecodingError)
    /// It is not JSON.
    case notJSON(JSONParseError)
    /// Its JSON is not an object.
    case notAnObject
    /// A required field is missing.
    case missingField(String)
    /// A field has the wrong JSON type.
    case wrongType(String)
    /// The receipt's status is not `success`.
    case notSuccess

    public var description: String {
        switch self {
        case .tooLong(let n): "receipt is \(n) bytes; the limit is \(PaymentReceipt.maximumHeaderLength)"
        case .notBase64URL(let error): "receipt is not base64url: \(error)"
        case .notJSON(let error): "receipt is not JSON: \(error)"
        case .notAnObject: "receipt is not a JSON object"
        case .missingField(let name): "receipt lacks \(name)"
        case .wrongType(let name): "receipt's \(name) is not a non-empty string"
        case .notSuccess: "receipt status is not \"success\""
        }
    }
}

/// RFC 3339 times as the scheme writes them (`2026-03-15T12:05:00Z`, whole seconds, UTC).
public enum PaymentTime {
    /// `date` in whole seconds, UTC, with a `Z`.
    public static func format(_ date: Date) -> String {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)).formatted(.iso8601)
    }

    /// Reads an RFC 3339 date-time, with or without fractional seconds; nil when it is not one.
    public static func parse(_ text: String) -> Date? {
        guard text.utf8.count <= 64 else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
