import Hummingbird
import L402Server

extension Request {
    /// Reads the whole body of a request that declares one and carries no L402 credential (at most
    /// `limit` bytes; throws beyond), so the paywall can bind it: a `Payment` challenge carries its
    /// `digest`, and a `Payment` credential is checked against it. The request keeps the bytes for
    /// whoever reads the body next. nil without a body, or with an L402 credential (whose body then
    /// streams on unread).
    public mutating func bodyForPaymentBinding(upTo limit: Int) async throws -> [UInt8]? {
        if let authorization = headers[.authorization], Paywall.isL402Scheme(authorization) { return nil }
        let declared = headers[.contentLength].map { $0.trimmingCharacters(in: .whitespaces) != "0" }
            ?? (headers[.transferEncoding] != nil)
        guard declared else { return nil }
        return Array(buffer: try await collectBody(upTo: limit))
    }
}
