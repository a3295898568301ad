// Hex and the wire-tolerant base64 (either alphabet, padded or not) every credential goes through.
import ByteEncoding
import FuzzDriver

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = fuzzText(data, size)
    if let bytes = try? Base64.decode(text) {
        fuzzCheck((try? Base64.decode(Base64.encode(bytes))) == bytes, "base64 does not round-trip")
        fuzzCheck((try? Base64.decode(Base64.encodeURLSafe(bytes))) == bytes, "base64url does not round-trip")
    }
    if let bytes = try? Hex.decode(text) {
        fuzzCheck(Hex.encode(bytes) == text.lowercased(), "hex does not round-trip")
    }
    return 0
}

@main enum Main { static func main() { runFuzzer(testOneInput) } }
