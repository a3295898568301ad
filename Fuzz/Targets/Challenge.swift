// A 402 answer as the client reads it: `WWW-Authenticate` values (one a line) and, after a NUL byte,
// the JSON body. Covers the challenge scanner, `Challenge.parse` and `ChallengeCheck.offer`.
import Foundation
import FuzzDriver
@testable import L402
import L402Client

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let separator = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let headerText = String(decoding: bytes[..<separator], as: UTF8.self)
    let body = separator < bytes.endIndex ? Array(bytes[(separator + 1)...]) : []
    let headerValues = headerText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

    for value in headerValues { _ = try? AuthChallengeScanner.challenges(in: value) }
    _ = try? Challenge.parse(headerValues: headerValues)
    // A fixed clock, so an input behaves the same on every run.
    _ = try? ChallengeCheck.offer(wwwAuthenticate: headerValues, body: body, now: Date(timeIntervalSince1970: 1_700_000_000))
    return 0
}

@main enum Main { static func main() { runFuzzer(testOneInput) } }
