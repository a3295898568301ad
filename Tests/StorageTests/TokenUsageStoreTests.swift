import L402
import Testing

@Suite struct TokenUsageStoreTests {
    @Test(arguments: KeyStoreKind.allCases)
    func reservesUpToTheLimitAndReleasesWithoutGoingNegative(_ kind: KeyStoreKind) async throws {
        let store = try kind.make()
        let token = TokenID.random()
        #expect(try await store.callsUsed(for: token) == 0)
        for _ in 0..<3 { #expect(try await store.reserveCall(for: token, limit: 3)) }
        #expect(try await store.reserveCall(for: token, limit: 3) == false)
        #expect(try await store.callsUsed(for: token) == 3)
        // A smaller limit (an attenuated copy of the token) is held against the same counter.
        #expect(try await store.reserveCall(for: token, limit: 2) == false)
        try await store.releaseCall(for: token)
        #expect(try await store.callsUsed(for: token) == 2)
        #expect(try await store.reserveCall(for: token, limit: 3))
        for _ in 0..<5 { try await store.releaseCall(for: token) }
        #expect(try await store.callsUsed(for: token) == 0)
        try await store.releaseCall(for: .random())
        #expect(try await store.reserveCall(for: .random(), limit: 0) == false)
    }

    /// The heart of metering: concurrent requests with a one-call token, exactly one goes through.
    @Test(arguments: KeyStoreKind.allCases)
    func fiftyConcurrentReservationsOfAOneCallTokenYieldExactlyOne(_ kind: KeyStoreKind) async throws {
        let store = try kind.make()
        let token = TokenID.random()
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 { group.addTask { try await store.reserveCall(for: token, limit: 1) } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 1)
        #expect(try await store.callsUsed(for: token) == 1)
    }

    @Test(arguments: KeyStoreKind.allCases)
    func concurrentReservationsNeverExceedAFiveCallLimit(_ kind: KeyStoreKind) async throws {
        let store = try kind.make()
        let token = TokenID.random()
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<40 { group.addTask { try await store.reserveCall(for: token, limit: 5) } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 5)
    }
}
