// snippet:begin bolt11
import Bolt11

/// Signs an invoice for 21 sats and reads it back; the payee is recovered from the signature.
func weatherInvoice(paymentHash: [UInt8], paymentSecret: [UInt8], now: UInt64) throws -> (text: String, read: Invoice) {
    let key = NodeKey.random()                       // or try NodeKey(privateKey: 32 bytes)
    let invoice = Invoice(network: .regtest, amountMsat: 21_000, timestamp: now, paymentHash: paymentHash,
                          paymentSecret: paymentSecret, description: "one weather call", expiry: 600,
                          features: .standardInvoice)
    let text = try invoice.encode(signingWith: key)  // "lnbcrt210n1p…"
    let read = try Invoice.decode(text)              // read.payee == key.publicKey
    return (text, read)
}
// snippet:end
