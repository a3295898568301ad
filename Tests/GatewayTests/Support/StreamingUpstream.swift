import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A one-way latch a test can wait on with a deadline.
final class Latch: Sendable {
    private let isSet = Mutex(false)
    func set() { isSet.withLock { $0 = true } }
    /// True once set; false if `seconds` passed first.
    func wait(seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if isSet.withLock({ $0 }) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return isSet.withLock { $0 }
    }
}

/// An upstream that proves bodies are streamed through the gateway, not buffered whole:
/// - `POST …/upload` sets `receivedFirstMegabyte` as soon as 1 MiB arrived, then answers with the
///   byte count and checksum of everything it read;
/// - `GET …/download/<bytes>` sends 1 MiB, then waits for `clientReceivedFirstBytes` before sending
///   the rest (it sets `downloadStalled` if that never happened).
struct StreamingUpstream: HTTPResponder {
    typealias Context = BasicRequestContext
    let receivedFirstMegabyte = Latch()
    let clientReceivedFirstBytes = Latch()
    let downloadStalled = Latch()

    static let chunkSize = StreamPattern.period

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let path = request.head.path ?? "/"
        if path.hasSuffix("/upload") {
            var checker = StreamPattern.Checker()
            for try await chunk in request.body {
                checker.check(chunk)
                if checker.count >= 1 << 20 { receivedFirstMegabyte.set() }
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "\(checker.count) \(checker.mismatchedChunks)")))
        }
        guard let marker = path.range(of: "/download/"), let total = Int(path[marker.upperBound...]) else {
            return Response(status: .notFound)
        }
        return Response(
            status: .ok, headers: [.contentLength: "\(total)"],
            body: ResponseBody(contentLength: total) { writer in
                var offset = 0
                while offset < total {
                    if offset == 1 << 20, await !clientReceivedFirstBytes.wait(seconds: 120) { downloadStalled.set() }
                    let size = min(Self.chunkSize, total - offset)
                    try await writer.write(StreamPattern.chunk.getSlice(at: 0, length: size)!)
                    offset += size
                }
                try await writer.finish(nil)
            })
    }
}

/// The content of every streamed test body: one 64 KiB block of varied bytes, repeated. Checking
/// it with `memcmp` keeps 50 MB cheap to verify, even in a debug build.
enum StreamPattern {
    static let period = 64 * 1024
    static let chunk: ByteBuffer = ByteBuffer(bytes: (0..<period).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })
    /// Two periods back to back, so any window of up to one period is contiguous.
    private static let doubled: [UInt8] = Array(chunk.readableBytesView) + Array(chunk.readableBytesView)

    /// Follows a stream of chunks, counting bytes and chunks that differ from the pattern.
    struct Checker {
        private(set) var count = 0
        private(set) var mismatchedChunks = 0

        mutating func check(_ buffer: ByteBuffer) {
            buffer.withUnsafeReadableBytes { bytes in
                var position = 0
                var matches = true
                while position < bytes.count {
                    let phase = (count + position) % period
                    let length = min(period, bytes.count - position)
                    let equal = StreamPattern.doubled.withUnsafeBytes { pattern in
                        memcmp(bytes.baseAddress! + position, pattern.baseAddress! + phase, length) == 0
                    }
                    matches = matches && equal
                    position += length
                }
                if !matches { mismatchedChunks += 1 }
                count += bytes.count
            }
        }
    }
}
