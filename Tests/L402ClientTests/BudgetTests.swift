import Testing
@testable import L402Client

@Suite struct BudgetTests {
    @Test func twentyConcurrentReservationsUnderABudgetForTenGetExactlyTen() async {
        let budget = Budget(limits: BudgetLimits(totalSats: 100))
        let granted = await withTaskGroup(of: BudgetReservation?.self) { group in
            for _ in 0..<20 {
                group.addTask { try? await budget.reserve(sats: 10, host: "h:80") }
            }
            var granted: [BudgetReservation] = []
            for await reservation in group { if let reservation { granted.append(reservation) } }
            return granted
        }
        #expect(granted.count == 10)
        #expect(Set(granted.map(\.id)).count == 10)
        #expect(await budget.reservedSats == 100)
        for reservation in granted { await budget.commit(reservation) }
        #expect(await budget.spentSats == 100)
        #expect(await budget.reservedSats == 0)
    }

    @Test func perCallLimitRefusesAnExpensiveCallButNotACheapOne() async throws {
        let budget = Budget(limits: BudgetLimits(perCallSats: 50))
        await #expect(throws: BudgetError.perCallLimit(priceSats: 51, limitSats: 50)) {
            try await budget.reserve(sats: 51, host: "a:80")
        }
        let ok = try await budget.reserve(sats: 50, host: "a:80")
        #expect(ok.sats == 50)
    }

    @Test func refundMakesTheSatsAvailableAgainAndCommitSpendsThem() async throws {
        let budget = Budget(limits: BudgetLimits(totalSats: 10))
        let first = try await budget.reserve(sats: 10, host: "a:80")
        await #expect(throws: BudgetError.self) { try await budget.reserve(sats: 1, host: "a:80") }
        await budget.refund(first)
        let second = try await budget.reserve(sats: 10, host: "a:80")
        await budget.commit(second)
        await budget.commit(second)  // twice is harmless
        #expect(await budget.spentSats == 10)
        await #expect(throws: BudgetError.totalLimit(priceSats: 1, committedSats: 10, limitSats: 10)) {
            try await budget.reserve(sats: 1, host: "b:80")
        }
    }

    @Test func perHostLimitCountsEachHostSeparately() async throws {
        let budget = Budget(limits: BudgetLimits(perHostSats: 15))
        await budget.commit(try await budget.reserve(sats: 10, host: "a:80"))
        let pending = try await budget.reserve(sats: 5, host: "a:80")
        await #expect(throws: BudgetError.hostLimit(host: "a:80", priceSats: 1, committedSats: 15, limitSats: 15)) {
            try await budget.reserve(sats: 1, host: "a:80")
        }
        _ = try await budget.reserve(sats: 15, host: "b:80")
        await budget.commit(pending)
        #expect(await budget.spentSats(host: "a:80") == 15)
        #expect(await budget.spentSats(host: "b:80") == 0)
    }

    @Test func hugePricesDoNotOverflow() async throws {
        let budget = Budget(limits: BudgetLimits(totalSats: .max, perHostSats: .max))
        await budget.commit(try await budget.reserve(sats: .max - 1, host: "a:80"))
        await #expect(throws: BudgetError.self) { try await budget.reserve(sats: 2, host: "a:80") }
    }
}
