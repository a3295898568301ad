import Logging
import Synchronization

/// A swift-log handler that keeps every record, so tests can read what the gateway logged.
struct CapturingLogHandler: LogHandler {
    /// One log record with its metadata rendered as text.
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]

        /// Everything the record would print, for searching it for secrets.
        var text: String { ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ") }
    }

    /// Where every handler made by `logger` writes.
    final class Sink: Sendable {
        private let records = Mutex<[Record]>([])
        var all: [Record] { records.withLock { $0 } }
        func append(_ record: Record) { records.withLock { $0.append(record) } }

        /// A logger at `trace` level writing here.
        func logger(label: String = "captured") -> Logger {
            var logger = Logger(label: label) { _ in CapturingLogHandler(sink: self) }
            logger.logLevel = .trace
            return logger
        }
    }

    let sink: Sink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let message = event.error.map { "\(event.message) \($0)" } ?? "\(event.message)"
        sink.append(Record(level: event.level, message: message, metadata: merged.mapValues { "\($0)" }))
    }
}
