// A tool as the admin API receives it (`POST/PUT/PATCH /_l402/admin/tools…`): JSON, then the same
// `ToolReader` rules as the config file; and `AdminTool`, which the CLI decodes from the API's answers.
import Foundation
import FuzzDriver
import L402Admin
@testable import Gateway

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let json = Data(bytes)
    if let value = try? JSONValue.parse(bytes) {
        _ = try? ToolReader.tool(JSONField(value: value, path: ""))
    }
    _ = try? JSONDecoder().decode(AdminTool.self, from: json)
    return 0
}

@main enum Main { static func main() { runFuzzer(testOneInput) } }
