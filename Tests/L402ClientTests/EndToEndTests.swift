import AsyncHTTPClient
import ByteEncoding
import Foundation
import L402Client
import Testing
import TestSupport

/// The client against a real `l402 serve` child process and a real upstream, over loopback:
/// through the library (`L402Client` with the dev wallet) and through the `l402 fetch` binary.
@Suite struct EndToEndTests {
    func makeClient(_ gateway: ServedGateway, directory: TemporaryDirectory, limits: BudgetLimits = .unlimited) throws -> L402Client {
        try gateway.client(directory: directory, limits: limits)
    }

    @Test func paysOnceAndReusesAMultiCallToken() async throws {
        try await ServedGateway.with { gateway in
            let directory = try TemporaryDirectory()
            let client = try makeClient(gateway, directory: directory)
            var paid = 0
            for i in 1...4 {
                let response = try await client.send(L402Request(url: gateway.url.appendingPathComponent("multi/call\(i)")))
                #expect(response.status == 200)
                #expect(String(decoding: response.body, as: UTF8.self) == "upstream saw GET /call\(i)")
                paid += response.payments.count
                #expect(response.payments.count == (i == 1 || i == 4 ? 1 : 0), "call \(i): three calls per token")
            }
            #expect(paid == 2)
            #expect(await client.budget.spentSats == 10)
            #expect(gateway.upstream.requestCount == 4)
        }
    }

    @Test func oneCallToolsPayEveryTime() async throws {
        try await ServedGateway.with { gateway in
            let directory = try TemporaryDirectory()
            let client = try makeClient(gateway, directory: directory)
            for _ in 1...3 {
                let response = try await client.send(L402Request(url: gateway.url.appendingPathComponent("once/x")))
                #expect(response.status == 200)
                #expect(response.payments.map(\.amountSats) == [2])
            }
            #expect(await client.budget.spentSats == 6)
            // Spent one-call tokens never go out again: each call was paid, none refused.
            #expect(gateway.upstream.requestCount == 3)
        }
    }

    @Test func twentyConcurrentFetchesUnderABudgetForTenPayAtMostTen() async throws {
        try await ServedGateway.with { gateway in
            let directory = try TemporaryDirectory()
            let client = try makeClient(gateway, directory: directory, limits: BudgetLimits(totalSats: 20))
            let outcomes = await withTaskGroup(of: Result<L402Response, L402ClientError>.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        do throws(L402ClientError) { return .success(try await client.send(L402Request(url: gateway.url.appendingPathComponent("once/\(i)")))) }
                        catch { return .failure(error) }
                    }
                }
                var all: [Result<L402Response, L402ClientError>] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            let payments = outcomes.compactMap { try? $0.get() }.flatMap(\.payments)
            let refusals = outcomes.filter { if case .failure(.overBudget) = $0 { true } else { false } }
            #expect(payments.count == 10)
            #expect(refusals.count == 10)
            #expect(await client.budget.spentSats == 20)
            #expect(gateway.upstream.requestCount == 10)
        }
    }

    @Test func budgetRefusalPaysNothingAndSpendsNothing() async throws {
        try await ServedGateway.with { gateway in
            let tokens = try TemporaryDirectory()
            let result = try await gateway.fetch("/multi/x", tokenDir: tokens.path, ["--max-sats", "4"])
            #expect(result.status == 4, "\(result.stderr)")
            #expect(result.stderr.contains("over budget"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(gateway.upstream.requestCount == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: tokens.path).filter { $0.hasSuffix(".json") }.isEmpty)
        }
    }

    @Test func theCacheSurvivesARestartOfTheCLI() async throws {
        try await ServedGateway.with { gateway in
            let tokens = try TemporaryDirectory()
            let first = try await gateway.fetch("/multi/a", tokenDir: tokens.path, ["--max-sats", "5"])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout == "upstream saw GET /a")
            #expect(first.stderr.contains("paid 5 sats"), "\(first.stderr)")
            // A second process, same cache, a budget of 0: it can only succeed with the cached token.
            let second = try await gateway.fetch("/multi/b", tokenDir: tokens.path, ["--max-sats", "0"])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stdout == "upstream saw GET /b")
            #expect(second.stderr.contains("using cached token"), "\(second.stderr)")
            #expect(!second.stderr.contains("* paid"), "\(second.stderr)")
            let list = try await Subprocess.l402InBackground(["token", "list", "--token-dir", tokens.path])
            #expect(list.stdout.contains("1/3 calls"), "\(list.stdout)")
            #expect(gateway.upstream.requestCount == 2)
        }
    }

    @Test func aDelegatedAttenuatedTokenWorksForASubAgentAndFailsWhereItsCaveatsForbid() async throws {
        try await ServedGateway.with { gateway in
            let parent = try TemporaryDirectory()
            let bought = try await gateway.fetch("/multi/start", tokenDir: parent.path)
            #expect(bought.status == 0, "\(bought.stderr)")
            let id = try #require(try await Subprocess.l402InBackground(["token", "list", "--token-dir", parent.path]).stdout.split(separator: " ").first)
            let attenuated = try await Subprocess.l402InBackground(
                ["token", "attenuate", String(id), "--token-dir", parent.path, "--method", "GET", "--path-prefix", "/reports"])
            #expect(attenuated.status == 0, "\(attenuated.stderr)")
            let credential = attenuated.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let exported = try await Subprocess.l402InBackground(["token", "export", String(id), "--token-dir", parent.path]).stdout
            #expect(credential != exported.trimmingCharacters(in: .whitespacesAndNewlines))

            // The sub-agent: its own empty cache, no wallet.
            let child = try TemporaryDirectory()
            let allowed = try await gateway.fetch("/multi/reports/q1", tokenDir: child.path, wallet: false, ["--credential", credential])
            #expect(allowed.status == 0, "\(allowed.stderr)")
            #expect(allowed.stdout == "upstream saw GET /reports/q1")
            let otherPath = try await gateway.fetch("/multi/admin", tokenDir: child.path, wallet: false, ["--credential", credential])
            #expect(otherPath.status == 3)
            #expect(otherPath.stdout.contains("not_allowed"), "\(otherPath.stdout)")
            let post = try await gateway.fetch("/multi/reports/q1", tokenDir: child.path, wallet: false, ["--credential", credential, "-X", "POST"])
            #expect(post.status == 3)
            let expired = try await Subprocess.l402InBackground(["token", "attenuate", credential, "--expires-at", "1000"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let late = try await gateway.fetch("/multi/reports/q2", tokenDir: child.path, wallet: false, ["--credential", expired])
            #expect(late.status == 3)
            #expect(late.stdout.contains("token_expired"), "\(late.stdout)")
            // Without a credential or a wallet the sub-agent cannot pay.
            let unpaid = try await gateway.fetch("/multi/reports/q3", tokenDir: child.path, wallet: false)
            #expect(unpaid.status == 7, "\(unpaid.stderr)")
            #expect(gateway.upstream.requestCount == 2)
        }
    }

    @Test func aCachedTokenTheServerRefusesIsDroppedAndTheRequestPaidAfreshOnce() async throws {
        try await ServedGateway.with { gateway in
            let directory = try TemporaryDirectory()
            let client = try makeClient(gateway, directory: directory)
            let url = gateway.url.appendingPathComponent("multi/x")
            let first = try await client.send(L402Request(url: url))
            let credential = try #require(first.token?.exportedCredential)
            // A sub-agent holding the same token spends its two remaining calls behind the client's back.
            for _ in 0..<2 { #expect(try await client.send(L402Request(url: url, credential: credential)).status == 200) }
            let again = try await client.send(L402Request(url: url))
            #expect(again.status == 200)
            #expect(again.payments.count == 1)
            #expect(again.token?.paymentHash != first.token?.paymentHash)
            #expect(try await client.cache.allTokens().map(\.paymentHash) == [again.token?.paymentHash])
            #expect(await client.budget.spentSats == 10)
        }
    }
}
