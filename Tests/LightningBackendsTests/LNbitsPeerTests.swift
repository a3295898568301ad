import AsyncHTTPClient
import BackendStandInSupport
import Bolt11
import Crypto
import Foundation
import Lightning
import LightningBackends
import Testing
import TestSupport

/// `LNbitsNode` against a REAL LNbits (PyPI `lnbits` 1.6.2, FakeWallet funding source, SQLite in a
/// temporary directory), installed by `scripts/install-deps.sh test` into a virtual environment of
/// its own (`$L402_LNBITS_VENV`, default `~/.cache/l402/lnbits-venv`). FakeWallet cannot receive
/// money from outside, so no wallet here has a balance: the test covers what LNbits itself answers
/// (invoices, look-ups, keys, the fee reserve, the refusal of an unfunded payment), and the stand-in
/// tests cover successful payments.
@Suite(.serialized) struct LNbitsPeerTests {
    /// A running LNbits and two fresh wallets on it.
    struct Peer {
        let process: RunningProcess
        let url: String
        let gateway: (invoiceKey: String, adminKey: String)
        let agent: (invoiceKey: String, adminKey: String)
        /// LNbits' data folder (its SQLite database), removed after the test.
        let data: URL
    }

    static var venv: String {
        ProcessInfo.processInfo.environment["L402_LNBITS_VENV"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/l402/lnbits-venv").path
    }

    static func start() async throws -> Peer {
        let binary = venv + "/bin/lnbits"
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw Subprocess.PeerMissing(program: binary) }
        // LNbits serves its static files from the relative path lnbits/static: run it from site-packages.
        let lib = venv + "/lib"
        guard let python = try FileManager.default.contentsOfDirectory(atPath: lib).first(where: { $0.hasPrefix("python3") }) else {
            throw Subprocess.PeerMissing(program: "\(lib)/python3.*")
        }
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("lnbits-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let port = try await ClosedPort.make()
        let process = try RunningProcess("/bin/sh", ["-c", "cd \"$1\" && exec \"$2\" --host 127.0.0.1 --port \"$3\"", "lnbits",
                                                     "\(lib)/\(python)/site-packages", binary, String(port)],
                                         environment: ["LNBITS_DATA_FOLDER": data.path, "LNBITS_BACKEND_WALLET_CLASS": "FakeWallet",
                                                       "LNBITS_ADMIN_UI": "false"])
        let url = "http://127.0.0.1:\(port)"
        let deadline = Date().addingTimeInterval(120)
        while true {
            if let health = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/api/v1/health"), timeout: .seconds(5)),
                health.status == .ok { break }
            guard Date() < deadline else { throw Subprocess.PeerMissing(program: "lnbits did not start: \(process.output.suffix(2000))") }
            try await Task.sleep(for: .milliseconds(300))
        }
        return Peer(process: process, url: url, gateway: try await account(url, "gateway"), agent: try await account(url, "agent"), data: data)
    }

    /// `POST /api/v1/account`: a new user with one wallet; its keys.
    static func account(_ url: String, _ name: String) async throws -> (invoiceKey: String, adminKey: String) {
        var request = HTTPClientRequest(url: url + "/api/v1/account")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(Data(#"{"name":"\#(name)"}"#.utf8))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 16)
        let wallet = try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
        return (try #require(wallet["inkey"] as? String), try #require(wallet["adminkey"] as? String))
    }

    @Test func theRealLNbitsAnswersAsTheBackendExpects() async throws {
        let peer = try await Self.start()
        defer { try? FileManager.default.removeItem(at: peer.data) }
        do {
            let gateway = try LNbitsNode(configuration: LNbitsConfiguration(url: peer.url, apiKey: peer.gateway.invoiceKey))
            // An invoice with an explicit expiry, its state, its absence, the node behind it.
            let invoice = try await gateway.createInvoice(amountSats: 21, memo: "weather today", expirySeconds: 600)
            let decoded = try Invoice.decode(invoice.paymentRequest)
            #expect(decoded.amountMsat == 21_000 && decoded.expiry == 600 && decoded.description == "weather today")
            #expect(try await gateway.invoiceState(paymentHash: invoice.paymentHash) == .open)
            await #expect(throws: LightningError.invoiceNotFound) { try await gateway.invoiceState(paymentHash: Array(SHA256.hash(data: [9]))) }
            let info = try await gateway.info()
            #expect(info.alias == "gateway" && info.publicKey == decoded.payee && info.network == decoded.network)

            // Keys: an unknown one, and an invoice key asked to pay.
            let stranger = try LNbitsNode(configuration: LNbitsConfiguration(url: peer.url, apiKey: "00ff00ff"))
            await #expect(throws: LightningError.unauthorized("Wallet not found.")) {
                try await stranger.createInvoice(amountSats: 1, memo: "", expirySeconds: 60)
            }
            await #expect(throws: LightningError.unauthorized("Invoice (or Admin) key required.")) {
                try await gateway.pay(paymentRequest: invoice.paymentRequest, feeLimitSats: 10)
            }

            // The agent's wallet (admin key, no balance): its fee reserve is checked first, then LNbits refuses.
            let agent = try LNbitsNode(configuration: LNbitsConfiguration(url: peer.url, apiKey: peer.agent.adminKey))
            await #expect(throws: LightningError.paymentFailed(
                "LNbits lets its funding source spend up to 2 sats of routing fee, over the fee limit of 1 sats")) {
                try await agent.pay(paymentRequest: invoice.paymentRequest, feeLimitSats: 1)
            }
            await #expect(throws: LightningError.insufficientBalance) {
                try await agent.pay(paymentRequest: invoice.paymentRequest, feeLimitSats: 10)
            }
            #expect(try await agent.paymentStatus(paymentHash: invoice.paymentHash) == .unknown)
            #expect(try await gateway.invoiceState(paymentHash: invoice.paymentHash) == .open, "nothing was paid")
        } catch {
            await Self.stop(peer)
            throw error
        }
        await Self.stop(peer)
    }

    /// LNbits' graceful shutdown waits on background tasks that may never end here (no network), and
    /// its server runs in a child process: both are killed, by process id, and the child reaped.
    static func stop(_ peer: Peer) async {
        let root = peer.process.processIdentifier
        let all = [root] + descendants(of: root)
        for pid in all.reversed() { kill(pid, SIGKILL) }
        _ = try? await peer.process.waitForExit(seconds: 30)
    }

    /// The processes below `pid`, from /proc (each `stat` names its parent in its fourth field).
    static func descendants(of pid: Int32) -> [Int32] {
        let parents: [(pid: Int32, parent: Int32)] = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard let child = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = Int32(fields[1]) else { return nil }
            return (child, parent)
        }
        var found: [Int32] = []
        var frontier = [pid]
        while let next = frontier.popLast() {
            let children = parents.filter { $0.parent == next }.map(\.pid)
            found += children
            frontier += children
        }
        return found
    }
}
