/// An HTTP payment scheme a paywall offers in its 402 and accepts credentials of.
public enum PaymentScheme: String, Sendable, Equatable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// L402 (and its old name LSAT): a macaroon and an invoice, a token of `calls` calls.
    case l402
    /// The IETF `Payment` scheme's Lightning `charge`: an invoice per challenge, one call per charge.
    case payment

    /// Both, in the order their offers are written (L402 first: some clients read only the first offer).
    public static let all: [PaymentScheme] = [.l402, .payment]

    public var description: String { rawValue }

    /// How `Accept-Payment` names the scheme's offer (`l402`, `lightning/charge`).
    public var acceptPaymentOffer: AcceptPayment.Offer {
        switch self {
        case .l402: .l402
        case .payment: .lightningCharge
        }
    }

    /// Reads a list of scheme names (`l402`, `payment`): at least one, each at most once.
    public static func parseList(_ names: [String]) throws(PaymentSchemeError) -> [PaymentScheme] {
        guard !names.isEmpty else { throw .empty }
        var schemes: [PaymentScheme] = []
        for name in names {
            guard let scheme = PaymentScheme(rawValue: name.lowercased()) else { throw .unknown(name) }
            guard !schemes.contains(scheme) else { throw .duplicate(scheme) }
            schemes.append(scheme)
        }
        // Offers are always written in one order, whatever order the list was given in.
        return all.filter(schemes.contains)
    }
}

/// Why a list of payment schemes was refused.
public enum PaymentSchemeError: Error, Equatable, CustomStringConvertible {
    /// The list is empty: a paid tool must take at least one scheme.
    case empty
    /// A name that is not a scheme.
    case unknown(String)
    /// A scheme named twice.
    case duplicate(PaymentScheme)

    public var description: String {
        switch self {
        case .empty: "at least one payment scheme is needed (`l402`, `payment`)"
        case .unknown(let name): "unknown payment scheme '\(name)': expected `l402` or `payment`"
        case .duplicate(let scheme): "payment scheme `\(scheme)` is listed twice"
        }
    }
}
