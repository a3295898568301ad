// The canonical request path every price rule, caveat, ledger row and forwarded URL is computed from.
import FuzzDriver
import L402
import L402Server

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let raw = fuzzText(data, size)
    guard let path = try? CanonicalPath.canonicalize(Substring(raw)) else { return 0 }
    let bytes = Array(path.utf8)
    // The form is a fixed point: canonicalizing it again changes nothing, so a forwarded path is
    // priced by the gateway exactly as the upstream will read it.
    fuzzCheck((try? CanonicalPath.canonicalize(Substring(path))) == path, "canonical form is not a fixed point")
    fuzzCheck(bytes.first == UInt8(ascii: "/"), "canonical path does not start with '/'")
    fuzzCheck(!path.contains("//"), "canonical path keeps an empty segment")
    fuzzCheck(bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }, "canonical path has a byte outside printable ASCII")
    for segment in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
        let head = segment.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        fuzzCheck(head != "." && head != "..", "canonical path keeps a dot segment")
    }
    // Whole-segment prefixes: every prefix ending at a segment boundary covers the path, and one
    // that stops inside a segment covers it only when the path continues with '/'. Every prefix is
    // checked, which is quadratic: only on paths up to 512 bytes (a 1,234-byte path once took over
    // libFuzzer's 10 s timeout on a starved machine; PathPrefix.covers itself is linear).
    guard bytes.count <= 512 else { return 0 }
    var end = bytes.startIndex
    while end < bytes.endIndex {
        end = bytes.index(after: end)
        let prefix = String(decoding: bytes[..<end], as: UTF8.self)
        let atBoundary = end == bytes.endIndex || bytes[end] == UInt8(ascii: "/") || bytes[end - 1] == UInt8(ascii: "/")
        fuzzCheck(PathPrefix.covers(prefix, path: path) == atBoundary, "PathPrefix.covers disagrees with segment boundaries")
    }
    return 0
}

@main enum Main { static func main() { runFuzzer(testOneInput) } }
