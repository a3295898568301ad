import ArgumentParser
import ByteEncoding
import Foundation

/// Decodes a hex option, naming the option when it is not hex.
func hexArgument(_ text: String, _ option: String) throws -> [UInt8] {
    do { return try Hex.decode(text) } catch { throw ValidationError("\(option) is not hex: \(error)") }
}

/// The JSON every subcommand prints: pretty, keys sorted, slashes left alone.
func jsonText(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
