import Hummingbird
import L402Server

extension Request {
    /// Reads the whole body of a request to a route priced by `pricing` that takes the `Payment`
    /// scheme, when the request declares a body and carries no L402 credential (at most `limit`
    /// bytes; throws beyond), so the paywall can bind it: a `Payment` challenge carries its
    /// `digest`, and a `Payment` credential is checked against it. The request keeps the bytes for
    /// whoever reads the body next. nil otherwise (the body then streams on unread).
    public mutating func bodyForPaymentBinding(for pricing: Pricing, upTo limit: Int) async throws -> [UInt8]? {
        guard pricing.offers(.payment) else { return nil }
        if let authorization = headers[.authorization], Paywall.isL402Scheme(authorization) { return nil }
        let declared = headers[.contentLength].map { $0.trimmingCharacters(in: .whitespaces) != "0" }
            ?? (headers[.transferEncoding] != nil)
        guard declared else { return nil }
        return Array(buffer: try await collectBody(upTo: limit))
    }
}
