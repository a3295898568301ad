// BOLT-11 invoices, as they arrive in challenges and from nodes: decoding with signature recovery.
import Bolt11
import FuzzDriver

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = fuzzText(data, size)
    _ = try? Invoice.decodeUnverified(text)
    _ = try? Invoice.decode(text)
    return 0
}

@main enum Main { static func main() { runFuzzer(testOneInput) } }
