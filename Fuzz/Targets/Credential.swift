// The `Authorization: L402|LSAT <macaroons>:<preimage>` header, as every paid request sends it.
import FuzzDriver
import L402

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let credential = try? Credential(authorizationHeader: fuzzText(data, size)) else { return 0 }
    // What parsed must survive its own serialization unchanged.
    let again = try? Credential(authorizationHeader: credential.headerValue)
    fuzzCheck(again == credential, "a parsed credential does not round-trip through headerValue")
    return 0
}

@main enum Main { static func main() { runFuzzer(testOneInput) } }
