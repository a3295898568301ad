import ArgumentParser
import ByteEncoding
import Foundation
import Macaroons

/// `l402 macaroon …`: mint, inspect, verify and attenuate macaroons from the shell.
struct MacaroonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "macaroon",
        abstract: "Mint, inspect, verify and attenuate macaroons (V1, V2 binary, V2 JSON).",
        discussion: """
            Tokens are read in any encoding: base64 (standard or URL-safe, padded or not) of V2 or V1 \
            binary, or V2 JSON. New tokens are printed as V2 binary in standard padded base64, the form \
            L402 headers carry.
            """,
        subcommands: [Mint.self, Inspect.self, Verify.self, Attenuate.self]
    )

    struct Mint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mint a macaroon and print it (V2, standard base64).",
            discussion: "Example: l402 macaroon mint --root-key 00112233… --identifier 0000ab… --caveat tool=weather --caveat calls=3"
        )

        @Option(help: ArgumentHelp("The secret root key, hex. Never printed.", valueName: "hex"))
        var rootKey: String
        @Option(help: ArgumentHelp("The macaroon identifier, hex (any bytes).", valueName: "hex"))
        var identifier: String
        @Option(help: "A location hint (not signed).")
        var location: String = ""
        @Option(name: .customLong("caveat"), help: ArgumentHelp("A first-party caveat; repeat for more.", valueName: "key=value"))
        var caveats: [String] = []

        func validate() throws { try validateCaveats(caveats) }

        func run() throws {
            var macaroon = Macaroon(rootKey: try hexArgument(rootKey, "--root-key"), identifier: try hexArgument(identifier, "--identifier"),
                                    location: location)
            for caveat in caveats { macaroon = macaroon.addingFirstPartyCaveat(caveat) }
            print(macaroon.encoded())
        }
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a macaroon's contents as JSON (no key needed, nothing verified).",
            discussion: "Output members: location, identifier_hex, caveats (strings; third-party caveats and non-UTF-8 ones as objects), signature_hex, format (v1, v2, v2j)."
        )

        @Argument(help: "The macaroon, in any encoding.")
        var token: String

        func run() throws {
            let (macaroon, format) = try decodeArgument(token)
            print(try MacaroonDescription(macaroon, format: format).json())
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a macaroon's signature chain against a root key: exit 0 when valid, 1 otherwise.",
            discussion: "First-party caveats are listed, not evaluated (their meaning belongs to the service). A third-party caveat fails: discharge macaroons are not supported."
        )

        @Option(help: ArgumentHelp("The secret root key, hex. Never printed.", valueName: "hex"))
        var rootKey: String
        @Argument(help: "The macaroon, in any encoding.")
        var token: String

        func run() throws {
            let key = try hexArgument(rootKey, "--root-key")
            let macaroon: Macaroon
            do {
                macaroon = try Macaroon(decoding: token)
                try macaroon.verify(rootKey: key) { _ in }
            } catch {
                FileHandle.standardError.write(Data("invalid: \(error)\n".utf8))
                throw ExitCode(1)
            }
            print("valid: signature chain matches; \(macaroon.caveats.count) first-party caveat(s), not evaluated")
        }
    }

    struct Attenuate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add first-party caveats to a macaroon (no key needed) and print it (V2, standard base64).",
            discussion: "Example: l402 macaroon attenuate \"$TOKEN\" --caveat method=GET --caveat path_prefix=/v1"
        )

        @Argument(help: "The macaroon, in any encoding.")
        var token: String
        @Option(name: .customLong("caveat"), help: ArgumentHelp("A first-party caveat; repeat for more.", valueName: "key=value"))
        var caveats: [String]

        func validate() throws {
            guard !caveats.isEmpty else { throw ValidationError("give at least one --caveat key=value") }
            try validateCaveats(caveats)
        }

        func run() throws {
            var macaroon = try decodeArgument(token).macaroon
            for caveat in caveats { macaroon = macaroon.addingFirstPartyCaveat(caveat) }
            print(macaroon.encoded())
        }
    }
}

private func decodeArgument(_ token: String) throws -> (macaroon: Macaroon, format: MacaroonFormat) {
    do { return try Macaroon.decode(token) } catch { throw NotAMacaroon(reason: error) }
}

/// A token argument that does not decode (exit status 1, the reason on stderr).
private struct NotAMacaroon: Error, CustomStringConvertible {
    var reason: MacaroonError
    var description: String { "not a macaroon: \(reason)" }
}

private func validateCaveats(_ caveats: [String]) throws {
    for caveat in caveats where !caveat.contains("=") || caveat.hasPrefix("=") {
        throw ValidationError("caveat \(caveat.debugDescription) is not key=value")
    }
}

/// The JSON `l402 macaroon inspect` prints.
struct MacaroonDescription: Encodable {
    enum CaveatDescription: Encodable {
        case predicate(String)
        case raw(identifierHex: String, verificationIdHex: String?, location: String?)

        private enum Keys: String, CodingKey {
            case identifierHex = "identifier_hex", verificationIdHex = "verification_id_hex", location
        }

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .predicate(let text):
                var container = encoder.singleValueContainer()
                try container.encode(text)
            case .raw(let identifierHex, let verificationIdHex, let location):
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(identifierHex, forKey: .identifierHex)
                try container.encodeIfPresent(verificationIdHex, forKey: .verificationIdHex)
                try container.encodeIfPresent(location, forKey: .location)
            }
        }
    }

    var location: String
    var identifierHex: String
    var caveats: [CaveatDescription]
    var signatureHex: String
    var format: String

    enum CodingKeys: String, CodingKey {
        case location, identifierHex = "identifier_hex", caveats, signatureHex = "signature_hex", format
    }

    init(_ macaroon: Macaroon, format: MacaroonFormat) {
        location = macaroon.location
        identifierHex = Hex.encode(macaroon.identifier)
        caveats = macaroon.caveats.map { caveat in
            if let predicate = caveat.predicate { return .predicate(predicate) }
            return .raw(identifierHex: Hex.encode(caveat.identifier), verificationIdHex: caveat.verificationId.map { Hex.encode($0) },
                        location: caveat.location)
        }
        signatureHex = Hex.encode(macaroon.signature)
        self.format = format.rawValue
    }

    func json() throws -> String { try jsonText(self) }
}
