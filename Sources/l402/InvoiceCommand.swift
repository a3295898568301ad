import ArgumentParser
import Bolt11
import ByteEncoding
import Crypto
import Foundation

/// `l402 invoice …`: read and write BOLT-11 Lightning invoices.
struct InvoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice",
        abstract: "Decode and create BOLT-11 Lightning invoices.",
        subcommands: [Decode.self, Create.self]
    )

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a BOLT-11 invoice's fields as JSON; exit 1 if its signature is invalid.",
            discussion: """
                Output members: network, amount_msat (null when absent), timestamp, expires_at, payment_hash, \
                payment_secret, description, description_hash, expiry, min_final_cltv_expiry, payee, features \
                (bit numbers), route_hints, fallbacks, metadata, signature_valid, signature_error. \
                A malformed invoice prints the precise reason on stderr and exits 1.
                Example: l402 invoice decode lnbcrt10u1p…
                """
        )

        @Argument(help: "The invoice (any case, `lightning:` prefix allowed).")
        var invoice: String

        func run() throws {
            let (decoded, signatureError): (Invoice, Bolt11Error?)
            do {
                (decoded, signatureError) = try Invoice.decodeUnverified(invoice)
            } catch {
                throw NotAnInvoice(reason: "\(error)")
            }
            print(try jsonText(InvoiceDescription(decoded, signatureError: signatureError)))
            if let signatureError {
                FileHandle.standardError.write(Data("invalid: \(signatureError)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create and sign a BOLT-11 invoice; print it with its payment hash and preimage as JSON.",
            discussion: """
                Without --node-key a fresh key signs (its public key is printed as payee); without --preimage \
                a random one is drawn. The preimage is printed: it is what settles the invoice.
                Example: l402 invoice create --amount-sats 21 --description "one weather call" --expiry 600
                """
        )

        @Option(help: "Amount in satoshis.")
        var amountSats: UInt64
        @Option(help: "What the payment is for (UTF-8, at most 639 bytes).")
        var description: String
        @Option(help: "bc, tb, tbs or bcrt (or bitcoin, testnet, signet, regtest).")
        var network: String = "bcrt"
        @Option(help: "Seconds the invoice stays payable.")
        var expiry: UInt64 = Invoice.defaultExpiry
        @Option(help: ArgumentHelp("Private key of the signing node, 32 bytes hex. Never printed.", valueName: "hex"))
        var nodeKey: String?
        @Option(help: ArgumentHelp("Payment preimage, 32 bytes hex.", valueName: "hex"))
        var preimage: String?

        func validate() throws {
            guard Network(prefixOrName: network) != nil else { throw ValidationError("unknown --network \(network)") }
            guard amountSats > 0, amountSats <= UInt64.max / 1000 else { throw ValidationError("--amount-sats out of range") }
        }

        func run() throws {
            let key = try nodeKey.map { hex in
                do { return try NodeKey(privateKey: hexArgument(hex, "--node-key")) } catch let error as Bolt11Error {
                    throw ValidationError("--node-key: \(error)")
                }
            } ?? NodeKey.random()
            let preimage = try preimage.map { try hexArgument($0, "--preimage") } ?? randomBytes(32)
            guard preimage.count == 32 else { throw ValidationError("--preimage must be 32 bytes") }
            let invoice = Invoice(
                network: Network(prefixOrName: network)!, amountMsat: amountSats * 1000,
                timestamp: UInt64(Date().timeIntervalSince1970), paymentHash: Array(SHA256.hash(data: preimage)),
                paymentSecret: randomBytes(32), description: description, expiry: expiry,
                features: .standardInvoice
            )
            let text: String
            do { text = try invoice.encode(signingWith: key) } catch { throw ValidationError("\(error)") }
            print(try jsonText(CreatedInvoiceDescription(
                invoice: text, paymentHash: Hex.encode(invoice.paymentHash), preimage: Hex.encode(preimage),
                payee: Hex.encode(key.publicKey), expiresAt: invoice.expiresAt
            )))
        }

        private func randomBytes(_ count: Int) -> [UInt8] {
            var generator = SystemRandomNumberGenerator()
            return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
    }
}

/// An argument that is not a BOLT-11 invoice (exit status 1, the reason on stderr).
private struct NotAnInvoice: Error, CustomStringConvertible {
    var reason: String
    var description: String { "not a BOLT-11 invoice: \(reason)" }
}

/// The JSON `l402 invoice create` prints.
private struct CreatedInvoiceDescription: Encodable {
    var invoice: String
    var paymentHash: String
    var preimage: String
    var payee: String
    var expiresAt: UInt64

    enum CodingKeys: String, CodingKey {
        case invoice, paymentHash = "payment_hash", preimage, payee, expiresAt = "expires_at"
    }
}

/// The JSON `l402 invoice decode` prints; absent optional fields are `null`, not missing.
struct InvoiceDescription: Encodable {
    struct Hop: Encodable {
        var pubkey: String
        var shortChannelId: String
        var feeBaseMsat: UInt32
        var feeProportionalMillionths: UInt32
        var cltvExpiryDelta: UInt16

        enum CodingKeys: String, CodingKey {
            case pubkey, shortChannelId = "short_channel_id", feeBaseMsat = "fee_base_msat",
                 feeProportionalMillionths = "fee_proportional_millionths", cltvExpiryDelta = "cltv_expiry_delta"
        }
    }

    struct FallbackAddress: Encodable {
        var version: UInt8
        var program: String
        var address: String
    }

    var invoice: Invoice
    var signatureError: Bolt11Error?

    init(_ invoice: Invoice, signatureError: Bolt11Error?) {
        self.invoice = invoice
        self.signatureError = signatureError
    }

    enum CodingKeys: String, CodingKey {
        case network, amountMsat = "amount_msat", timestamp, expiresAt = "expires_at", paymentHash = "payment_hash",
             paymentSecret = "payment_secret", description, descriptionHash = "description_hash", expiry,
             minFinalCltvExpiry = "min_final_cltv_expiry", payee, features, routeHints = "route_hints", fallbacks,
             metadata, signatureValid = "signature_valid", signatureError = "signature_error"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("\(invoice.network)", forKey: .network)
        try c.encode(invoice.amountMsat, forKey: .amountMsat)
        try c.encode(invoice.timestamp, forKey: .timestamp)
        try c.encode(invoice.expiresAt, forKey: .expiresAt)
        try c.encode(Hex.encode(invoice.paymentHash), forKey: .paymentHash)
        try c.encode(invoice.paymentSecret.map { Hex.encode($0) }, forKey: .paymentSecret)
        try c.encode(invoice.description, forKey: .description)
        try c.encode(invoice.descriptionHash.map { Hex.encode($0) }, forKey: .descriptionHash)
        try c.encode(invoice.expiry, forKey: .expiry)
        try c.encode(invoice.minFinalCltvExpiry, forKey: .minFinalCltvExpiry)
        try c.encode(invoice.payee.map { Hex.encode($0) }, forKey: .payee)
        try c.encode(invoice.features?.bits ?? [], forKey: .features)
        try c.encode(invoice.routeHints.map { hint in
            hint.hops.map {
                Hop(pubkey: Hex.encode($0.publicKey), shortChannelId: $0.shortChannelId.description, feeBaseMsat: $0.feeBaseMsat,
                    feeProportionalMillionths: $0.feeProportionalMillionths, cltvExpiryDelta: $0.cltvExpiryDelta)
            }
        }, forKey: .routeHints)
        try c.encode(invoice.fallbacks.map {
            FallbackAddress(version: $0.version, program: Hex.encode($0.program), address: $0.address(on: invoice.network))
        }, forKey: .fallbacks)
        try c.encode(invoice.metadata.map { Hex.encode($0) }, forKey: .metadata)
        try c.encode(signatureError == nil, forKey: .signatureValid)
        try c.encode(signatureError?.description, forKey: .signatureError)
    }
}
