/// Polls `condition` until it holds or `seconds` pass; returns whether it held. For changes another
/// process (or a periodic reload) makes visible after a while: it waits, it never asserts a duration.
func eventually(seconds: Int = 20, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
