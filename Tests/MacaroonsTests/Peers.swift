import Foundation
import TestSupport

/// The three independent macaroon implementations the interop tests talk to, each behind a tiny
/// harness in `Peers/` (pymacaroons and go-macaroon speak one JSON protocol; libmacaroons, in C,
/// takes arguments). A missing peer fails the test with a hint to run `make test-deps`.
enum Peers {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers")

    /// One request of the JSON protocol (see Peers/pymacaroons_peer.py).
    struct Request: Encodable {
        var op: String
        var key_hex: String?
        var id_hex: String?
        var location: String?
        var caveats_hex: [String]?
        var third_party: [ThirdParty]?
        var version: Int?
        var json: Bool?
        var token: String?
        var seconds: Double?

        struct ThirdParty: Encodable {
            var key_hex: String
            var id_hex: String
            var location: String
        }

        static func mint(key: String, id: String, location: String = "", caveats: [String] = [], version: Int, json: Bool = false,
                         thirdParty: [ThirdParty]? = nil) -> Request {
            Request(op: "mint", key_hex: key, id_hex: id, location: location, caveats_hex: caveats, third_party: thirdParty,
                    version: version, json: json)
        }

        static func read(_ token: String, key: String, json: Bool = false) -> Request {
            Request(op: "read", key_hex: key, json: json, token: token)
        }

        static func attenuate(_ token: String, caveats: [String], json: Bool = false) -> Request {
            Request(op: "attenuate", caveats_hex: caveats, json: json, token: token)
        }
    }

    struct Minted: Decodable {
        var token: String
        var signature_hex: String
    }

    /// What a peer saw in a macaroon, and whether it verified (accepting every first-party caveat).
    struct Reading: Decodable, Equatable {
        var valid: Bool
        var error: String?
        var location: String
        var id_hex: String
        var caveats: [Caveat]
        var signature_hex: String
        var version: Int

        struct Caveat: Decodable, Equatable {
            var id_hex: String
            var vid_hex: String?
            var location: String?
        }
    }

    // MARK: pymacaroons

    static func pymacaroons<Answer: Decodable>(_ requests: [Request], as: Answer.Type = Answer.self) throws -> [Answer] {
        try exchange(program: "python3", arguments: [directory.appendingPathComponent("pymacaroons_peer.py").path], requests)
    }

    // MARK: go-macaroon

    /// The harness, built from Debian's gopkg.in/macaroon.v2 sources, offline.
    private static let goPeer: Result<String, any Error> = Result {
        var env = ["GO111MODULE": "off", "GOPATH": "/usr/share/gocode", "GOPROXY": "off", "GOFLAGS": ""]
        // go needs a build cache; give it one when the environment names no home for it.
        let inherited = ProcessInfo.processInfo.environment
        if inherited["GOCACHE"] == nil, inherited["HOME"] == nil, inherited["XDG_CACHE_HOME"] == nil {
            env["GOCACHE"] = buildDirectory.appendingPathComponent("gocache").path
        }
        return try build("go_macaroon_peer.go", hint: "golang-go and golang-gopkg-macaroon.v2-dev") { source, output in
            try Subprocess.run("go", ["build", "-o", output, source], environment: env)
        }
    }

    static func goMacaroon<Answer: Decodable>(_ requests: [Request], as: Answer.Type = Answer.self) throws -> [Answer] {
        try exchange(program: try goPeer.get(), arguments: [], requests)
    }

    // MARK: libmacaroons

    private static let cPeer: Result<String, any Error> = Result {
        try build("libmacaroons_peer.c", hint: "libmacaroons-dev") { source, output in
            try Subprocess.run("cc", ["-O2", "-o", output, source, "-lmacaroons"])
        }
    }

    /// Runs the libmacaroons harness (`mint KEY ID LOCATION CAVEATS…`, `read KEY TOKEN`), returning stdout.
    static func libmacaroons(_ arguments: [String]) throws -> String {
        try Subprocess.output(try cPeer.get(), arguments)
    }

    /// libmacaroons' view of a token: `read` output parsed into a `Reading`.
    static func libmacaroonsRead(_ token: String, key: String) throws -> Reading {
        var reading = Reading(valid: false, location: "", id_hex: "", caveats: [], signature_hex: "", version: 1)
        for line in try libmacaroons(["read", key, token]).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let value = parts.count > 1 ? parts[1] : ""
            switch parts[0] {
            case "location": reading.location = value
            case "id": reading.id_hex = value
            case "signature": reading.signature_hex = value
            case "caveat": reading.caveats.append(.init(id_hex: value))
            case "valid": reading.valid = value == "1"
            default: break
            }
        }
        return reading
    }

    // MARK: Plumbing

    /// Built harnesses live in the temporary directory under a name derived from their source, so
    /// test runs share them and a changed source is rebuilt.
    private static let buildDirectory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("l402-macaroon-peers")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    private static func build(
        _ name: String, hint: String, compile: (_ source: String, _ output: String) throws -> ProcessOutput
    ) throws -> String {
        let source = directory.appendingPathComponent(name)
        let contents = try Data(contentsOf: source)
        // FNV-1a: a stable content fingerprint for the cache name (not a security measure).
        let fingerprint = contents.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        let output = buildDirectory.appendingPathComponent("\(name)-\(String(fingerprint, radix: 16))").path
        if FileManager.default.isExecutableFile(atPath: output) { return output }
        // Build beside the final name and rename, so concurrent test processes never run a half-written file.
        let partial = "\(output).\(getpid())"
        let result = try compile(source.path, partial)
        guard result.status == 0 else {
            throw Subprocess.Failure(description: "building the \(name) harness failed (run `make test-deps` for \(hint)): \(result.stderr)")
        }
        if rename(partial, output) != 0 { try? FileManager.default.removeItem(atPath: partial) }
        return output
    }

    private static func exchange<Answer: Decodable>(program: String, arguments: [String], _ requests: [Request]) throws -> [Answer] {
        let input = String(decoding: try JSONEncoder().encode(requests), as: UTF8.self)
        let stdout = try Subprocess.output(program, arguments, input: input)
        let answers = try JSONDecoder().decode([Answer].self, from: Data(stdout.utf8))
        guard answers.count == requests.count else {
            throw Subprocess.Failure(description: "\(program) answered \(answers.count) of \(requests.count) requests")
        }
        return answers
    }
}
