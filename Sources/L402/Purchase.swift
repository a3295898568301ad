/// What a token was sold as: the server's own record, kept with the root key when the challenge is
/// minted. The price and the number of calls come from here, never from caveats, which any holder
/// can add and which therefore only ever restrict a purchase.
public struct Purchase: Sendable, Equatable, Codable {
    /// The tool the token was bought for.
    public var tool: String
    /// What was paid, in satoshis.
    public var amountSats: UInt64
    /// How many calls were bought (at least 1).
    public var calls: Int

    /// A purchase of `calls` calls of `tool` for `amountSats`.
    public init(tool: String, amountSats: UInt64, calls: Int) {
        self.tool = tool
        self.amountSats = amountSats
        self.calls = max(1, calls)
    }

    /// The satoshis the `n`-th committed call of the token earns (1-based):
    /// `⌊amount·n/calls⌋ − ⌊amount·(n−1)/calls⌋`. Over calls 1…`calls` these add up to exactly
    /// `amountSats`, however the amount divides; 0 outside that range (no call earns twice).
    public func sats(forCommittedCall n: Int) -> UInt64 {
        guard n >= 1, n <= calls else { return 0 }
        return share(through: n) - share(through: n - 1)
    }

    /// ⌊amount·n/calls⌋ without overflow (the product can exceed 64 bits; the quotient cannot).
    private func share(through n: Int) -> UInt64 {
        let product = amountSats.multipliedFullWidth(by: UInt64(n))
        return UInt64(calls).dividingFullWidth(product).quotient
    }
}
