// The gateway's YAML configuration, as the operator writes it (parsed with no environment overrides).
import FuzzDriver
import Gateway

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? ConfigurationLoader.parse(fuzzText(data, size), environment: [:])
    return 0
}

@main enum Main { static func main() { runFuzzer(testOneInput) } }
