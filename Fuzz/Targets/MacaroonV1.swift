// Macaroons in the BinaryV1 format (the decoder itself, then through the format sniffing every caller uses).
import FuzzDriver
@testable import Macaroons

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    _ = try? Macaroon.decode(bytes: bytes)
    guard let macaroon = try? BinaryV1.decode(bytes) else { return 0 }
    // What decoded must encode and decode back to the same macaroon.
    if let encoded = try? macaroon.serialize(.v1) {
        fuzzCheck((try? BinaryV1.decode(encoded)) == macaroon, "a decoded macaroon does not round-trip through BinaryV1")
    }
    return 0
}

@main enum Main { static func main() { runFuzzer(testOneInput) } }
