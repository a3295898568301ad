import ByteEncoding
import Foundation

/// The V2 JSON format of go-macaroon and pymacaroons:
/// `{"c":[{"i":…,"v64":…,"l":…}],"l":"loc","i":"id","s64":"…"}`. Each binary member is either
/// a UTF-8 string (`i`, `v`, `s`) or URL-safe unpadded base64 (`i64`, `v64`, `s64`).
enum JSONV2 {
    // MARK: Encoding

    static func encode(_ macaroon: Macaroon) -> [UInt8] {
        var members: [String] = []
        if !macaroon.caveats.isEmpty {
            let caveats = macaroon.caveats.map { caveat in
                var fields = [binaryMember("i", caveat.identifier)]
                if let vid = caveat.verificationId { fields.append(binaryMember("v", vid)) }
                if let location = caveat.location { fields.append("\"l\":\(quoted(location))") }
                return "{" + fields.joined(separator: ",") + "}"
            }
            members.append("\"c\":[" + caveats.joined(separator: ",") + "]")
        }
        if !macaroon.location.isEmpty { members.append("\"l\":\(quoted(macaroon.location))") }
        members.append(binaryMember("i", macaroon.identifier))
        members.append("\"s64\":\(quoted(Base64.encodeURLSafe(macaroon.signature)))")
        return Array(("{" + members.joined(separator: ",") + "}").utf8)
    }

    /// Text when the bytes are UTF-8 (as pymacaroons chooses), base64 under `name64` otherwise.
    private static func binaryMember(_ name: String, _ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return "\"\(name)\":\(quoted(text))" }
        return "\"\(name)64\":\(quoted(Base64.encodeURLSafe(bytes)))"
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u00" + Hex.encode([UInt8(scalar.value)])
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    // MARK: Decoding

    private static let macaroonMembers: Set = ["v", "l", "i", "i64", "s", "s64", "c"]
    private static let caveatMembers: Set = ["i", "i64", "v", "v64", "l"]

    static func decode(_ bytes: [UInt8]) throws(MacaroonError) -> Macaroon {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                throw MacaroonError.invalidJSON("top level is not an object")
            }
            object = parsed
        } catch let error as MacaroonError {
            throw error
        } catch {
            throw .invalidJSON("not valid JSON")
        }
        try checkMembers(object, allowed: macaroonMembers, in: "macaroon")
        if let version = object["v"] {
            guard let number = version as? NSNumber, !(version is Bool), number == 2 else {
                throw .invalidJSON("\"v\" must be 2")
            }
        }
        let location = try string(object, "l", in: "macaroon") ?? ""
        let identifier = try binary(object, "i", in: "macaroon") ?? []
        guard let signature = try binary(object, "s", in: "macaroon") else { throw .invalidJSON("missing signature (\"s64\")") }
        guard signature.count == 32 else { throw .invalidSignatureLength(signature.count) }
        var caveats: [Caveat] = []
        if let list = object["c"] {
            guard let array = list as? [Any] else { throw .invalidJSON("\"c\" is not an array") }
            guard array.count <= Macaroon.maximumCaveats else { throw .tooManyCaveats(limit: Macaroon.maximumCaveats) }
            for (index, element) in array.enumerated() {
                let name = "caveat \(index)"
                guard let caveat = element as? [String: Any] else { throw .invalidJSON("\(name) is not an object") }
                try checkMembers(caveat, allowed: caveatMembers, in: name)
                let vid = try binary(caveat, "v", in: name)
                let location = try string(caveat, "l", in: name)
                if vid == nil, location != nil { throw .invalidJSON("\(name) has a location but no verification id") }
                caveats.append(Caveat(identifier: try binary(caveat, "i", in: name) ?? [], verificationId: vid, location: location))
            }
        }
        return Macaroon(location: location, identifier: identifier, caveats: caveats, signature: signature)
    }

    private static func checkMembers(_ object: [String: Any], allowed: Set<String>, in context: String) throws(MacaroonError) {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalidJSON("unknown member \(unknown.debugDescription) in \(context)")
        }
    }

    private static func string(_ object: [String: Any], _ name: String, in context: String) throws(MacaroonError) -> String? {
        guard let value = object[name] else { return nil }
        guard let text = value as? String else { throw .invalidJSON("\"\(name)\" in \(context) is not a string") }
        return text
    }

    /// The bytes of `name` (UTF-8 text) or `name64` (base64, either alphabet); both at once is ambiguous.
    private static func binary(_ object: [String: Any], _ name: String, in context: String) throws(MacaroonError) -> [UInt8]? {
        let text = try string(object, name, in: context)
        let encoded = try string(object, name + "64", in: context)
        switch (text, encoded) {
        case (.some, .some): throw .invalidJSON("both \"\(name)\" and \"\(name)64\" in \(context)")
        case (let text?, nil): return Array(text.utf8)
        case (nil, let encoded?):
            if encoded.isEmpty { return [] }
            do { return try Base64.decode(encoded) } catch {
                throw .invalidJSON("\"\(name)64\" in \(context): \(error)")
            }
        case (nil, nil): return nil
        }
    }
}
