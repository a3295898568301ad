import Foundation

// The shared entry point of every fuzz target. SwiftPM links an executable target with its entry point
// renamed to `<Target>_main` (for testable executables), so libFuzzer's own `main` never runs; each
// target's `@main` calls `runFuzzer` instead, which hands control to libFuzzer's documented driver.

/// libFuzzer's driver (`LLVMFuzzerRunDriver`, compiler-rt/lib/fuzzer/FuzzerInterface.h).
@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Runs libFuzzer with this process's arguments (`-runs=`, `-max_total_time=`, corpus folders…) on `testOneInput`.
public func runFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}

/// The input as a byte array.
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// The input as text; invalid UTF-8 becomes U+FFFD, as a header or file read off the wire would.
public func fuzzText(_ data: UnsafePointer<UInt8>?, _ size: Int) -> String {
    String(decoding: fuzzBytes(data, size), as: UTF8.self)
}

/// A property the target checks on every input failed: a crash libFuzzer reports with the input.
public func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
