// LND's REST answers: every JSON shape the node client decodes, and the line splitter of its streams.
import Foundation
import FuzzDriver
@testable import LightningBackends

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let json = Data(bytes)
    let decoder = LNDJSON.decoder()
    _ = try? decoder.decode(LNDErrorBody.self, from: json)
    _ = try? decoder.decode(LNDAddInvoiceResponse.self, from: json)
    _ = try? decoder.decode(LNDInvoice.self, from: json)
    _ = try? decoder.decode(LNDPayReq.self, from: json)
    _ = try? decoder.decode(LNDPaymentStreamItem.self, from: json)
    _ = try? decoder.decode(LNDGetInfoResponse.self, from: json)

    // The stream as it might arrive: in two chunks, cut where the first byte says.
    var splitter = JSONLineSplitter(maximumLineLength: 4096)
    let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    var lines = (try? splitter.append(bytes[..<cut])) ?? []
    lines += (try? splitter.append(bytes[cut...])) ?? []
    if let last = splitter.finish() { lines.append(last) }
    for line in lines { _ = try? decoder.decode(LNDPaymentStreamItem.self, from: Data(line)) }
    return 0
}

@main enum Main { static func main() { runFuzzer(testOneInput) } }
