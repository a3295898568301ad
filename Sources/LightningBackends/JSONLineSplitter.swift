import Lightning
/// Cuts a byte stream into newline-terminated lines, as LND's REST proxy frames streaming
/// responses (one JSON object a line). Bounded: a line longer than `maximumLineLength` throws.
struct JSONLineSplitter {
    struct LineTooLong: Error {}

    let maximumLineLength: Int
    private var pending: [UInt8] = []

    init(maximumLineLength: Int) {
        self.maximumLineLength = maximumLineLength
    }

    /// Adds received bytes; returns the lines they complete (without the newline, blank lines skipped).
    mutating func append(_ bytes: some Sequence<UInt8>) throws(LineTooLong) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if pending.contains(where: { !Self.isWhitespace($0) }) { lines.append(pending) }
                pending.removeAll(keepingCapacity: true)
            } else {
                guard pending.count < maximumLineLength else { throw LineTooLong() }
                pending.append(byte)
            }
        }
        return lines
    }

    /// What is left after the stream ended (a last line without a newline), if anything.
    mutating func finish() -> [UInt8]? {
        defer { pending = [] }
        return pending.contains(where: { !Self.isWhitespace($0) }) ? pending : nil
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
