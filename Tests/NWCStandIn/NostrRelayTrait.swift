import Testing

/// `@Suite(.nostrRelay)`: one real relay (`NostrRelayProcess`) for all the tests of a suite,
/// started before the first and stopped after the last; tests reach it as `NostrRelayProcess.current`.
public struct NostrRelayTrait: SuiteTrait, TestScoping {
    /// Once for the suite, not once per test.
    public var isRecursive: Bool { false }

    /// Starts the relay, runs the suite with it as `NostrRelayProcess.current`, stops it.
    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let relay = try await NostrRelayProcess.start()
        do {
            try await NostrRelayProcess.$current.withValue(relay) { try await function() }
        } catch {
            try? await relay.stop()
            throw error
        }
        try await relay.stop()
    }
}

extension Trait where Self == NostrRelayTrait {
    /// A real Nostr relay on loopback for the suite.
    public static var nostrRelay: NostrRelayTrait { NostrRelayTrait() }
}

extension NostrRelayProcess {
    /// The relay of the running suite (see `NostrRelayTrait`).
    @TaskLocal public static var current: NostrRelayProcess?

    /// The suite's relay; fails the test when the suite has no `.nostrRelay` trait.
    public static var suiteRelay: NostrRelayProcess {
        get throws {
            guard let current else { throw RelayMissing() }
            return current
        }
    }

    struct RelayMissing: Error, CustomStringConvertible {
        var description: String { "this suite needs the .nostrRelay trait" }
    }
}
