/// The `Accept-Payment` request header (draft-httpauth-payment-00 §8.3): which schemes and
/// `method/intent` pairs the client takes, with weights: `lightning/charge, l402;q=0.5`.
///
/// A bare token (`l402`) names a whole scheme; this project offers `l402` beside the draft's
/// `lightning/charge`.
public struct AcceptPayment: Sendable, Equatable {
    /// One range: `method/intent` (either may be `*`) or a bare scheme token, with its weight.
    public struct Range: Sendable, Equatable {
        /// The method (or bare scheme token), lower-cased; `*` for any.
        public var method: String
        /// Nil for a bare token.
        public var intent: String?
        /// 0…1; 0 means "not acceptable".
        public var quality: Double
    }

    /// The ranges in the order sent.
    public var ranges: [Range]

    /// What a server can offer: `Offer(method: "lightning", intent: "charge")` or `Offer.l402`.
    public struct Offer: Sendable, Hashable, CustomStringConvertible {
        /// The payment method (`lightning`) or scheme token (`l402`).
        public var method: String
        /// The intent (`charge`); nil for a scheme token.
        public var intent: String?

        /// An offer of this payment method and, when given, intent.
        public init(method: String, intent: String?) {
            self.method = method
            self.intent = intent
        }

        /// The `Payment` scheme's Lightning `charge`.
        public static let lightningCharge = Offer(method: PaymentChallenge.lightning, intent: PaymentChallenge.charge)
        /// L402 (and LSAT).
        public static let l402 = Offer(method: "l402", intent: nil)

        public var description: String { intent.map { "\(method)/\($0)" } ?? method }
    }

    /// Longest header read.
    public static let maximumLength = 4096

    /// Parses the header; throws on anything outside the grammar (the draft lets servers then
    /// ignore the header, which `offers(_:header:)` does).
    public init(parsing header: String) throws(AcceptPaymentError) {
        guard header.utf8.count <= Self.maximumLength else { throw .tooLong }
        var ranges: [Range] = []
        for element in header.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = element.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
            guard let token = parts.first, !token.isEmpty else {
                if parts.count == 1 { continue }  // empty list element
                throw .malformed(String(element))
            }
            let names = token.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard names.count <= 2, names.allSatisfy(Self.isName) else { throw .malformed(String(element)) }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard pair.count == 2, pair[0].lowercased() == "q", let q = Self.qvalue(String(pair[1])) else {
                    throw .malformed(String(element))
                }
                quality = q
            }
            ranges.append(Range(method: names[0].lowercased(), intent: names.count == 2 ? names[1].lowercased() : nil, quality: quality))
        }
        self.ranges = ranges
    }

    /// RFC 9110 qvalue: `0`, `0.xxx`, `1`, `1.000`.
    static func qvalue(_ text: String) -> Double? {
        let utf8 = Array(text.utf8)
        guard let first = utf8.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1"), utf8.count <= 5 else { return nil }
        if utf8.count > 1 {
            guard utf8[1] == UInt8(ascii: "."),
                  utf8.dropFirst(2).allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            else { return nil }
        }
        guard let value = Double(text), value <= 1 else { return nil }
        return value
    }

    static func isName(_ text: String) -> Bool {
        !text.isEmpty && (text == "*" || text.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-")
        })
    }

    /// The weight of `offer`: from the most specific range that matches it (exact, then one
    /// wildcard, then `*/*`); nil when none does.
    public func quality(of offer: Offer) -> Double? {
        var best: (specificity: Int, quality: Double)?
        for range in ranges {
            let specificity: Int
            if let intent = range.intent {
                guard let offerIntent = offer.intent else { continue }
                let methodMatch = range.method == offer.method ? 2 : range.method == "*" ? 0 : -1
                let intentMatch = intent == offerIntent ? 1 : intent == "*" ? 0 : -1
                guard methodMatch >= 0, intentMatch >= 0 else { continue }
                specificity = methodMatch + intentMatch
            } else {
                guard offer.intent == nil, range.method == offer.method else { continue }
                specificity = 3
            }
            if best == nil || specificity > best!.specificity { best = (specificity, range.quality) }
        }
        return best?.quality
    }

    /// Which of `enabled` (in the server's order of preference) to offer for a request whose
    /// `Accept-Payment` is `header`: without the header, or with one that does not parse or that
    /// matches nothing acceptable, all of them; otherwise those with a weight above 0, highest
    /// first, ties in the server's order.
    public static func offers(_ enabled: [Offer], header: String?) -> [Offer] {
        guard let header, let accept = try? AcceptPayment(parsing: header) else { return enabled }
        let weighted = enabled.enumerated().compactMap { index, offer -> (Int, Offer, Double)? in
            guard let q = accept.quality(of: offer), q > 0 else { return nil }
            return (index, offer, q)
        }
        guard !weighted.isEmpty else { return enabled }
        return weighted.sorted { $0.2 != $1.2 ? $0.2 > $1.2 : $0.0 < $1.0 }.map(\.1)
    }
}

/// Why an `Accept-Payment` header does not parse.
public enum AcceptPaymentError: Error, Equatable, CustomStringConvertible {
    /// The header is longer than this parser reads.
    case tooLong
    /// The header is malformed, and how.
    case malformed(String)

    public var description: String {
        switch self {
        case .tooLong: "Accept-Payment is longer than \(AcceptPayment.maximumLength) bytes"
        case .malformed(let element): "Accept-Payment element \(element.debugDescription) is not method/intent[;q=…]"
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
