import HTTPTypes

extension HTTPField.Name {
    /// `Accept-Payment`: the offers a client takes, weighted (`lightning/charge, l402;q=0.5`).
    public static let acceptPayment = HTTPField.Name("Accept-Payment")!
    /// `Payment-Authorization`: a `Payment` credential, for requests whose `Authorization` carries something else.
    public static let paymentAuthorization = HTTPField.Name("Payment-Authorization")!
    /// `Payment-Receipt`: on the answer to a call paid with a `Payment` credential.
    public static let paymentReceipt = HTTPField.Name("Payment-Receipt")!
    /// `Idempotency-Key`: names a POST, PUT or DELETE so its retries can be recognised (forwarded unchanged).
    public static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}
