/// Cuts a `text/event-stream` body into whole events as its bytes arrive, so each event's JSON can
/// be read (and rewritten) while the stream passes through: every event goes out as soon as its
/// closing blank line has come in.
struct ServerSentEvents {
    /// The most one event may hold before the stream is given up (an answer is a few kilobytes).
    static let maxEventBytes = 16 << 20

    /// An event longer than `maxEventBytes`.
    struct EventTooLarge: Error {}

    private var pending: [UInt8] = []

    /// Takes the next bytes of the stream and returns the events they complete, each with its
    /// closing blank line, in order.
    mutating func append(_ bytes: some Sequence<UInt8>) throws -> [[UInt8]] {
        pending.append(contentsOf: bytes)
        var events: [[UInt8]] = []
        var start = 0
        var index = 0
        while index < pending.count {
            // An event ends at an empty line: "\n\n", "\r\n\r\n" (or a mix of both line ends).
            if pending[index] == UInt8(ascii: "\n") {
                var next = index + 1
                if next < pending.count, pending[next] == UInt8(ascii: "\r") { next += 1 }
                if next < pending.count, pending[next] == UInt8(ascii: "\n") {
                    events.append(Array(pending[start...next]))
                    start = next + 1
                    index = start
                    continue
                }
            }
            index += 1
        }
        pending.removeFirst(start)
        guard pending.count <= Self.maxEventBytes else { throw EventTooLarge() }
        return events
    }

    /// What is left when the stream ends (an unterminated last event), passed on as it is.
    var remainder: [UInt8] { pending }

    /// The event's `data` lines joined by `\n` (nil when it has none).
    static func data(of event: [UInt8]) -> [UInt8]? {
        var data: [UInt8]?
        for line in lines(of: event) where line.starts(with: dataPrefix) {
            var value = line.dropFirst(dataPrefix.count)
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
            if data == nil { data = Array(value) } else { data!.append(UInt8(ascii: "\n")); data!.append(contentsOf: value) }
        }
        return data
    }

    /// The event with its data replaced by `data` (one `data:` line; other fields kept, in order).
    static func replacingData(of event: [UInt8], with data: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var wrote = false
        for line in lines(of: event) where !line.isEmpty {
            if line.starts(with: dataPrefix) {
                if !wrote { output += dataPrefix + [UInt8(ascii: " ")] + data + [UInt8(ascii: "\n")] }
                wrote = true
            } else {
                output += line + [UInt8(ascii: "\n")]
            }
        }
        return output + [UInt8(ascii: "\n")]
    }

    private static let dataPrefix = Array("data:".utf8)

    private static func lines(of event: [UInt8]) -> [ArraySlice<UInt8>] {
        event.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }
    }
}
