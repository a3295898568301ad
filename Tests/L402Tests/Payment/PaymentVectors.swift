import Foundation
import L402

/// The published vector files in `Tests/L402Tests/Vectors/`, read with our own strict JSON parser
/// (Foundation's would turn big integers and lone escapes into something else).
enum PaymentVectors {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Vectors")

    static func load(_ relativePath: String) throws -> JSONValue {
        try JSONValue.parse(Array(Data(contentsOf: directory.appendingPathComponent(relativePath))))
    }

    static var aperture: JSONValue { get throws { try load("aperture/vectors.json") } }
    static var mppTools: JSONValue { get throws { try load("mpp-tools/challenge-id.json") } }

    /// The cases of one section, each as (name, case).
    static func cases(_ file: JSONValue, _ section: String) -> [(String, JSONValue)] {
        guard case .array(let items)? = file[section] else { return [] }
        return items.map { ($0["name"]?.stringValue ?? "?", $0) }
    }
}

extension JSONValue {
    var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// A challenge from a vector's `params`/`parsed` object.
    var asChallenge: PaymentChallenge? {
        guard let id = self["id"]?.stringValue, let realm = self["realm"]?.stringValue, let method = self["method"]?.stringValue,
              let intent = self["intent"]?.stringValue, let request = self["request"]?.stringValue
        else { return nil }
        return PaymentChallenge(
            id: id, realm: realm, method: method, intent: intent, request: request, expires: self["expires"]?.stringValue,
            digest: self["digest"]?.stringValue, description: self["description"]?.stringValue, opaque: self["opaque"]?.stringValue)
    }
}
