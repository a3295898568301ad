import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One origin's cache file: read, locked and replaced atomically.
///
/// Writes go to a temporary file created 0600 in the same directory, are flushed, then renamed
/// over the old file, so a reader (or a crash) sees either the old or the new content, never half.
/// An advisory `flock` on a sibling lock file serialises read-modify-write between processes
/// (several `l402 fetch` at once).
struct TokenFile {
    struct Contents: Codable {
        var version: Int = 1
        var origin: String
        var tokens: [CachedToken]
    }

    static let maxFileBytes = 16 << 20

    let path: String
    let origin: String

    init(directory: String, origin: Origin) {
        self.path = (directory as NSString).appendingPathComponent(origin.fileName)
        self.origin = origin.description
    }

    init(path: String) {
        self.path = path
        self.origin = ""
    }

    /// Runs `body` on the file's tokens holding an exclusive lock; writes back what it leaves when it changed them.
    func update<T>(_ body: (inout [CachedToken]) throws -> T) throws -> T {
        let lockPath = path + ".lock"
        let lock = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw TokenCacheError.io(path: lockPath, reason: errnoText()) }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else { throw TokenCacheError.io(path: lockPath, reason: errnoText()) }
        }
        defer { flock(lock, LOCK_UN) }
        let before = try read()
        var tokens = before
        let result = try body(&tokens)
        if tokens != before { try write(tokens) }
        return result
    }

    /// The tokens in the file; empty when it does not exist.
    func read() throws -> [CachedToken] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: Self.maxFileBytes + 1) ?? Data()
        } catch {
            throw TokenCacheError.io(path: path, reason: "\(error)")
        }
        guard data.count <= Self.maxFileBytes else {
            throw TokenCacheError.corrupt(path: path, reason: "larger than \(Self.maxFileBytes) bytes")
        }
        do {
            return try Self.decoder.decode(Contents.self, from: data).tokens
        } catch {
            throw TokenCacheError.corrupt(path: path, reason: "\(error)")
        }
    }

    private func write(_ tokens: [CachedToken]) throws {
        if tokens.isEmpty {
            if unlink(path) != 0 && errno != ENOENT { throw TokenCacheError.io(path: path, reason: errnoText()) }
            return
        }
        let data = try Self.encoder.encode(Contents(origin: origin, tokens: tokens))
        let tempPath = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let fd = open(tempPath, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TokenCacheError.io(path: tempPath, reason: errnoText()) }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(tempPath) }
        }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw TokenCacheError.io(path: tempPath, reason: errnoText())
                }
                offset += written
            }
        }
        guard fsync(fd) == 0 else { throw TokenCacheError.io(path: tempPath, reason: errnoText()) }
        guard rename(tempPath, path) == 0 else { throw TokenCacheError.io(path: path, reason: errnoText()) }
        ok = true
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

func errnoText() -> String {
    String(cString: strerror(errno))
}
