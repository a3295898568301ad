import L402

/// The JSON body of a 402: the L402 offer's fields (`ChallengeBody`, unchanged for clients that read
/// only those) when L402 is offered, and the `Payment` offer under `payment`.
struct ChallengeResponseBody: Encodable {
    var l402: ChallengeBody?
    var payment: PaymentOfferBody?
    var tool: String
    var amountSats: UInt64
    var error: String?
    var message: String?

    /// The `Payment` offer: the challenge's parameters (what a credential echoes) and its invoice.
    struct PaymentOfferBody: Encodable {
        var challenge: [String: String]
        var invoice: String
        var paymentHash: String
        var amountSats: UInt64

        enum CodingKeys: String, CodingKey {
            case challenge, invoice
            case paymentHash = "payment_hash", amountSats = "amount_sats"
        }
    }

    enum CodingKeys: String, CodingKey {
        case payment, tool, error, message
        case amountSats = "amount_sats"
    }

    func encode(to encoder: any Encoder) throws {
        if var l402 {
            l402.error = error
            l402.message = message
            try l402.encode(to: encoder)
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        if l402 == nil {
            try container.encode(tool, forKey: .tool)
            try container.encode(amountSats, forKey: .amountSats)
            try container.encodeIfPresent(error, forKey: .error)
            try container.encodeIfPresent(message, forKey: .message)
        }
        try container.encodeIfPresent(payment, forKey: .payment)
    }
}
