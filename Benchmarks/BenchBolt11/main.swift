// BOLT-11 codec speed beside libsecp256k1's own cost for the curve work inside it, measured in the same run.
// Run by Benchmarks/bolt11.sh (release build), which Benchmarks/run.sh calls.
import Bolt11
import CSecp256k1
import Crypto
import Foundation

/// Runs `body` repeatedly for about `seconds` after a short warm-up; returns operations per second.
func measure(seconds: Double = 1.5, _ body: () throws -> Int) rethrows -> Double {
    var sink = 0
    for _ in 0..<200 { sink &+= try body() }
    let clock = ContinuousClock()
    let start = clock.now
    var count = 0
    var elapsed = Duration.zero
    repeat {
        for _ in 0..<100 { sink &+= try body() }
        count += 100
        elapsed = clock.now - start
    } while elapsed < .seconds(seconds)
    if sink == 42 { print("") }   // keeps the work observable to the optimizer
    let (s, attoseconds) = elapsed.components
    return Double(count) / (Double(s) + Double(attoseconds) / 1e18)
}

func row(_ name: String, _ opsPerSecond: Double, baseline: Double? = nil) {
    let micros = 1e6 / opsPerSecond
    var line = name.padding(toLength: 52, withPad: " ", startingAt: 0)
        + String(format: "%12.0f ops/s %9.1f µs/op", opsPerSecond, micros)
    if let baseline { line += String(format: "   %.2fx the raw libsecp256k1 cost", baseline / opsPerSecond) }
    print(line)
}

// The invoice the gateway's dev node issues for every 402: amount, secret, description, expiry, features.
let key = NodeKey.random()
func random32() -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
}
let invoice = Invoice(
    network: .regtest, amountMsat: 21_000, timestamp: UInt64(Date().timeIntervalSince1970), paymentHash: random32(),
    paymentSecret: random32(), description: "weather: one call", expiry: 600, features: .standardInvoice
)
let encoded = try invoice.encode(signingWith: key)
let check = try Invoice.decode(encoded)
precondition(check.payee == key.publicKey)

let specInvoice = "lnbc9678785340p1pwmna7lpp5gc3xfm08u9qy06djf8dfflhugl6p7lgza6dsjxq454gxhj9t7a0sd8dgfkx7cmtwd68yetpd5s9xar0wfjn5gpc8qhrsdfq24f5ggrxdaezqsnvda3kkum5wfjkzmfqf3jkgem9wgsyuctwdus9xgrcyqcjcgpzgfskx6eqf9hzqnteypzxz7fzypfhg6trddjhygrcyqezcgpzfysywmm5ypxxjemgw3hxjmn8yptk7untd9hxwg3q2d6xjcmtv4ezq7pqxgsxzmnyyqcjqmt0wfjjq6t5v4khxsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygsxqyjw5qcqp2rzjq0gxwkzc8w6323m55m4jyxcjwmy7stt9hwkwe2qxmy8zpsgg7jcuwz87fcqqeuqqqyqqqqlgqqqqn3qq9q9qrsgqrvgkpnmps664wgkp43l22qsgdw4ve24aca4nymnxddlnp8vh9v2sdxlu5ywdxefsfvm0fq3sesf08uf6q9a2ke0hc9j6z6wlxg5z5kqpu2v9wz"
if CommandLine.arguments.dropFirst().first == "invoices" {
    // For the script's Python comparison: the same two invoices, one per line.
    print(encoded)
    print(specInvoice)
    exit(0)
}

// Raw libsecp256k1: what signing and recovering one 32-byte digest costs, with nothing around it.
let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))!
let digest = Array(SHA256.hash(data: Array(encoded.utf8)))
let secret = key.privateKey
var recoverable = secp256k1_ecdsa_recoverable_signature()
precondition(secp256k1_ecdsa_sign_recoverable(context, &recoverable, digest, secret, nil, nil) == 1)
var compact = [UInt8](repeating: 0, count: 64)
var recoveryId: Int32 = 0
_ = secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &compact, &recoveryId, &recoverable)

let rawSign = measure {
    var signature = secp256k1_ecdsa_recoverable_signature()
    return Int(secp256k1_ecdsa_sign_recoverable(context, &signature, digest, secret, nil, nil))
}
let rawRecover = measure {
    var signature = secp256k1_ecdsa_recoverable_signature()
    var point = secp256k1_pubkey()
    _ = secp256k1_ecdsa_recoverable_signature_parse_compact(context, &signature, compact, recoveryId)
    return Int(secp256k1_ecdsa_recover(context, &point, &signature, digest))
}
let encode = try measure { try invoice.encode(signingWith: key).utf8.count }
let decode = try measure { try Invoice.decode(encoded).paymentHash.count }
let decodeSpec = try measure { try Invoice.decode(specInvoice).routeHints.count }

print("BOLT-11 invoices (\(encoded.count)-character dev-node invoice; release build; one core)")
row("libsecp256k1 raw: sign recoverable (baseline)", rawSign)
row("Invoice.encode(signingWith:) — sign + bech32", encode, baseline: rawSign)
row("libsecp256k1 raw: parse + recover (baseline)", rawRecover)
row("Invoice.decode — bech32 + fields + recover", decode, baseline: rawRecover)
row("Invoice.decode — spec pico invoice, route hint", decodeSpec, baseline: rawRecover)
secp256k1_context_destroy(context)
