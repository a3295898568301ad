import Foundation
import GRDB
import Testing

@testable import Storage

/// The group commit behind the SQLite store's paid path: every caller's work commits with its own
/// result, and one failing caller fails alone.
@Suite struct SQLiteGroupCommitTests {
    private static func pool() throws -> DatabasePool {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-group-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: directory.appendingPathComponent("group.sqlite").path)
        try pool.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY)") }
        return pool
    }

    @Test func concurrentWritesAllCommitWithTheirOwnResults() async throws {
        let pool = try Self.pool()
        let group = SQLiteGroupCommit(pool)
        let results = try await withThrowingTaskGroup(of: (Int, Int).self) { tasks in
            for n in 1...200 {
                tasks.addTask {
                    let rowid = try await group.write { db in
                        try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [n])
                        return Int(db.lastInsertedRowID)
                    }
                    return (n, rowid)
                }
            }
            return try await tasks.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.key == $0.value })  // each caller saw its own statement's effect
        let stored = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t ORDER BY n") }
        #expect(stored == Array(1...200))
    }

    @Test func aFailingWriteIsRolledBackAloneAndTheOthersCommit() async throws {
        let pool = try Self.pool()
        let group = SQLiteGroupCommit(pool)
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { tasks in
            for n in 1...60 {
                tasks.addTask {
                    do {
                        try await group.write { db in
                            try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [n + 1000])
                            // Every third caller fails after its insert: the insert must not survive.
                            if n % 3 == 0 { try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [n + 1000]) }
                        }
                        return (n, true)
                    } catch {
                        return (n, false)
                    }
                }
            }
            return await tasks.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.filter { !$0.value }.keys.sorted() == Array(stride(from: 3, through: 60, by: 3)))
        let stored = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT n - 1000 FROM t ORDER BY n") }
        #expect(stored == (1...60).filter { $0 % 3 != 0 })
    }
}
