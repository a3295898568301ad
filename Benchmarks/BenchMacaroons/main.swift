// Verification speed of a typical L402 macaroon (66-byte identifier, 4 first-party caveats).
//   BenchMacaroons tokens            -> "key <hex>", "v2 <base64>", "v1 <base64>" (the shared test tokens)
//   BenchMacaroons run KEY TOKEN SEC -> "decode_verify <ops/s>", "verify <ops/s>"
// Benchmarks/macaroons.sh runs it beside pymacaroons, go-macaroon and libmacaroons on the same tokens.
import ByteEncoding
import Foundation
import Macaroons

let rootKey = (0..<32).map { UInt8(($0 * 29 + 11) % 256) }
let identifier = [0, 0] + (0..<64).map { UInt8(($0 * 67 + 5) % 256) }
let caveats = ["services=weather:0", "tool=weather", "expires_at=1767225600", "calls=100"]

/// Runs `body` in batches until `seconds` have passed; returns operations per second.
func measure(seconds: Double, _ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    var operations = 0
    while true {
        for _ in 0..<1000 { try body() }
        operations += 1000
        let elapsed = start.duration(to: clock.now)
        let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        if secondsElapsed >= seconds { return Double(operations) / secondsElapsed }
    }
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "tokens":
    var macaroon = Macaroon(rootKey: rootKey, identifier: identifier)
    for caveat in caveats { macaroon = macaroon.addingFirstPartyCaveat(caveat) }
    print("key \(Hex.encode(rootKey))")
    print("v2 \(macaroon.encoded())")
    print("v1 \(Base64.encodeURLSafe(try macaroon.serialize(.v1)))")
case "run" where arguments.count == 5:
    let key = try Hex.decode(arguments[2])
    let token = arguments[3]
    let seconds = Double(arguments[4]) ?? 2
    let decoded = try Macaroon(decoding: token)
    var accepted = 0
    let decodeVerify = try measure(seconds: seconds) {
        try Macaroon(decoding: token).verify(rootKey: key) { _ in accepted += 1 }
    }
    let verifyOnly = try measure(seconds: seconds) {
        try decoded.verify(rootKey: key) { _ in accepted += 1 }
    }
    precondition(accepted > 0)
    print(String(format: "decode_verify %.0f", decodeVerify))
    print(String(format: "verify %.0f", verifyOnly))
default:
    FileHandle.standardError.write(Data("usage: BenchMacaroons tokens | run KEY_HEX TOKEN SECONDS\n".utf8))
    exit(64)
}
