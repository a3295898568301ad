import L402

extension Purchase {
    /// A purchase as both stores keep it (three columns); nil when all three are NULL (a key stored
    /// before purchases were recorded).
    init?(stored tool: String?, sats: Int64?, calls: Int64?) throws {
        guard tool != nil || sats != nil || calls != nil else { return nil }
        guard let tool, let sats = sats.flatMap(UInt64.init(exactly:)), let calls = calls.flatMap(Int.init(exactly:)), calls > 0
        else { throw StorageError.corruptRow("purchase of a root key") }
        self.init(tool: tool, amountSats: sats, calls: calls)
    }
}
