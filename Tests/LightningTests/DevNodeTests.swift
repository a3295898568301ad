import Bolt11
import ByteEncoding
import Crypto
import Foundation
import TestSupport
import Testing
@testable import Lightning

@Suite struct DevNodeTests {
    static func node(key: NodeKey = .random(), store: any DevInvoiceStore = InMemoryDevInvoiceStore()) -> DevNode {
        DevNode(key: key, store: store)
    }

    @Test func issuesSignedInvoicesOurDecoderReads() async throws {
        let node = Self.node()
        let before = UInt64(Date().timeIntervalSince1970)
        let created = try await node.createInvoice(amountSats: 21, memo: "weather: today ☀", expirySeconds: 600)
        let invoice = try Invoice.decode(created.paymentRequest)
        #expect(created.paymentRequest.hasPrefix("lnbcrt210n1"))
        #expect(invoice.network == .regtest)
        #expect(invoice.amountMsat == 21_000)
        #expect(invoice.description == "weather: today ☀")
        #expect(invoice.paymentHash == created.paymentHash)
        #expect(invoice.payee == node.key.publicKey)
        #expect(invoice.paymentSecret?.count == 32)
        #expect(invoice.expiry == 600)
        #expect(invoice.timestamp >= before)
        #expect(UInt64(created.expiresAt.timeIntervalSince1970) == invoice.expiresAt)
        #expect(try await node.invoiceState(paymentHash: created.paymentHash) == .open)
    }

    /// The PyPI `bolt11` package (an independent decoder, coincurve for the signature) reads our invoices.
    @Test func independentDecoderReadsOurInvoices() async throws {
        let node = Self.node()
        let created = try await node.createInvoice(amountSats: 1234, memo: "pay-per-call", expirySeconds: 900)
        let script = """
            import json, sys
            from bolt11 import decode
            inv = decode(sys.stdin.read().strip())
            print(json.dumps({"currency": inv.currency, "amount_msat": int(inv.amount_msat), "payment_hash": inv.payment_hash,
                              "description": inv.description, "expiry": inv.expiry, "payee": inv.payee,
                              "payment_secret": inv.payment_secret}))
            """
        let output = try Subprocess.output("python3", ["-c", script], input: created.paymentRequest)
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(theirs["currency"] as? String == "bcrt")
        #expect(theirs["amount_msat"] as? Int == 1_234_000)
        #expect(theirs["payment_hash"] as? String == Hex.encode(created.paymentHash))
        #expect(theirs["description"] as? String == "pay-per-call")
        #expect(theirs["expiry"] as? Int == 900)
        #expect(theirs["payee"] as? String == Hex.encode(node.key.publicKey))
        #expect((theirs["payment_secret"] as? String)?.count == 64)
    }

    @Test func payingTwiceReturnsTheSamePreimageAndSettlesOnce() async throws {
        let key = NodeKey.random(), store = InMemoryDevInvoiceStore()
        let issuedAt = Date()
        let created = try await DevNode(key: key, store: store, now: { issuedAt })
            .createInvoice(amountSats: 5, memo: "once", expirySeconds: 600)
        #expect(try await DevNode(key: key, store: store).paymentStatus(paymentHash: created.paymentHash) == .unknown)
        let firstPayer = DevNode(key: key, store: store, now: { issuedAt.addingTimeInterval(10) })
        let result = try await firstPayer.pay(paymentRequest: created.paymentRequest, feeLimitSats: 0)
        #expect(result.paymentHash == created.paymentHash)
        #expect(Array(SHA256.hash(data: result.preimage)) == created.paymentHash)
        #expect(result.feeMsat == 0)
        #expect(try await firstPayer.invoiceState(paymentHash: created.paymentHash) == .settled)

        // A payer that lost the answer pays again, later: the same preimage, and the settlement is not redone.
        let secondPayer = DevNode(key: key, store: store, now: { issuedAt.addingTimeInterval(20) })
        #expect(try await secondPayer.pay(paymentRequest: created.paymentRequest, feeLimitSats: 0) == result)
        #expect(await store.record(paymentHash: created.paymentHash)?.settledAt == issuedAt.addingTimeInterval(10))
        #expect(try await secondPayer.paymentStatus(paymentHash: created.paymentHash) == .succeeded(result))
    }

    @Test func refusesInvoicesItDidNotIssue() async throws {
        let store = InMemoryDevInvoiceStore()
        let node = Self.node(store: store)
        let stranger = Self.node(store: store)   // same store, other key: its invoices are still not ours
        let foreign = try await stranger.createInvoice(amountSats: 5, memo: "theirs", expirySeconds: 600)
        await #expect(throws: LightningError.notOwnInvoice) { try await node.pay(paymentRequest: foreign.paymentRequest, feeLimitSats: 0) }

        // Signed with our key, but never issued by this node (so it has no preimage for it).
        let unissued = try Invoice(
            network: .regtest, amountMsat: 5000, timestamp: UInt64(Date().timeIntervalSince1970),
            paymentHash: Array(SHA256.hash(data: [9])), paymentSecret: Array(repeating: 1, count: 32), description: "x"
        ).encode(signingWith: node.key)
        await #expect(throws: LightningError.invoiceNotFound) { try await node.pay(paymentRequest: unissued, feeLimitSats: 0) }

        let mainnet = try await DevNode(key: node.key, store: store, network: .bitcoin)
            .createInvoice(amountSats: 5, memo: "mainnet", expirySeconds: 600)
        await #expect(throws: LightningError.invalidInvoice("invoice is for bitcoin, this dev node runs on regtest")) {
            try await node.pay(paymentRequest: mainnet.paymentRequest, feeLimitSats: 0)
        }
        let error = await #expect(throws: LightningError.self) { try await node.pay(paymentRequest: "lnbcrt1garbage", feeLimitSats: 0) }
        guard case .invalidInvoice? = error else { Issue.record("expected invalidInvoice, got \(String(describing: error))"); return }
        await #expect(throws: LightningError.invoiceNotFound) { try await node.invoiceState(paymentHash: Array(repeating: 0, count: 32)) }
    }

    @Test func expiredInvoicesCannotBePaid() async throws {
        let key = NodeKey.random(), store = InMemoryDevInvoiceStore()
        let issuedAt = Date()
        let created = try await DevNode(key: key, store: store, now: { issuedAt })
            .createInvoice(amountSats: 5, memo: "soon stale", expirySeconds: 60)
        // The same node an hour later (a clock, not a sleep).
        let later = DevNode(key: key, store: store, now: { issuedAt.addingTimeInterval(3600) })
        #expect(try await later.invoiceState(paymentHash: created.paymentHash) == .expired)
        await #expect(throws: LightningError.invoiceExpired) { try await later.pay(paymentRequest: created.paymentRequest, feeLimitSats: 0) }
        #expect(try await later.invoiceState(paymentHash: created.paymentHash) == .expired)
    }

    @Test func concurrentPaymentsAllGetThePreimageAndSettleExactlyOnce() async throws {
        let store = SettlementCountingStore()
        let node = Self.node(store: store)
        let created = try await node.createInvoice(amountSats: 5, memo: "race", expirySeconds: 600)
        let preimages = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<20 {
                group.addTask { try await node.pay(paymentRequest: created.paymentRequest, feeLimitSats: 0).preimage }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(preimages.count == 20)
        #expect(Set(preimages).count == 1)
        #expect(Array(SHA256.hash(data: preimages[0])) == created.paymentHash)
        #expect(await store.settlements == 1)
    }

    @Test func reportsOnlySettledOwnInvoicesAsPayments() async throws {
        let node = Self.node()
        let open = try await node.createInvoice(amountSats: 5, memo: "open", expirySeconds: 600)
        #expect(try await node.paymentStatus(paymentHash: open.paymentHash) == .unknown)
        #expect(try await node.paymentStatus(paymentHash: Array(SHA256.hash(data: [7]))) == .unknown)
    }

    @Test func reportsItsIdentity() async throws {
        let node = Self.node()
        let info = try await node.info()
        #expect(info.publicKey == node.key.publicKey)
        #expect(info.network == .regtest)
        #expect(DevNode.noRealMoneyNotice.contains("MOVES NO REAL MONEY"))
    }
}

/// The in-memory store, counting the settlements that really happened (`markSettled` returning true).
private actor SettlementCountingStore: DevInvoiceStore {
    private let store = InMemoryDevInvoiceStore()
    private(set) var settlements = 0

    func insert(_ record: DevInvoiceRecord) async throws { try await store.insert(record) }
    func record(paymentHash: [UInt8]) async throws -> DevInvoiceRecord? { await store.record(paymentHash: paymentHash) }
    func deleteUnsettled(expiredBefore: Date) async throws -> Int { await store.deleteUnsettled(expiredBefore: expiredBefore) }
    func markSettled(paymentHash: [UInt8], at date: Date) async throws -> Bool {
        let settled = await store.markSettled(paymentHash: paymentHash, at: date)
        if settled { settlements += 1 }
        return settled
    }
}

@Suite struct DevNodeKeyFileTests {
    @Test func createsOnceThenReloads() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("devnode-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("data/node.key").path

        let created = try DevNode.loadOrCreateKey(at: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text == Hex.encode(created.privateKey))
        #expect(try DevNode.loadOrCreateKey(at: path).publicKey == created.publicKey)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("data").path) == ["node.key"])
    }

    @Test func rejectsACorruptKeyFileWithoutEchoingIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("devnode-\(UUID().uuidString).key").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("not-a-key-secret-material".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: LightningError.self) { try DevNode.loadOrCreateKey(at: path) }
        #expect(error == .configuration("dev node key file '\(path)' does not hold a 32-byte secp256k1 key in hex"))
    }
}
