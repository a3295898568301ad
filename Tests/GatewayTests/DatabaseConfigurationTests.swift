import Foundation
import Storage
import Testing

@testable import Gateway

/// `database:` in the YAML file and `DATABASE_URL` choose between SQLite (a path) and PostgreSQL (a URL).
@Suite struct DatabaseConfigurationTests {
    @Test func postgresURLInTheFileIsParsed() throws {
        let config = try ConfigurationLoader.parse(
            "data_dir: /tmp/x\ndatabase: postgres://gw:p%40ss@db.internal:6543/l402?schema=gw_one&sslmode=require&pool_size=8&timeout=3\n")
        let postgres = try #require(config.postgres)
        #expect(postgres.host == "db.internal" && postgres.port == 6543 && postgres.database == "l402")
        #expect(postgres.username == "gw" && postgres.password == "p@ss")
        #expect(postgres.schema == "gw_one" && postgres.tls == .require && postgres.poolSize == 8 && postgres.timeout == .seconds(3))
        #expect(postgres.description == "postgres://gw:***@db.internal:6543/l402?schema=gw_one")
    }

    @Test func aPathStaysSQLite() throws {
        let config = try ConfigurationLoader.parse("database: /var/lib/l402/gw.sqlite\n")
        #expect(config.postgres == nil)
        #expect(config.resolvedDatabasePath == "/var/lib/l402/gw.sqlite")
    }

    @Test func environmentWinsOverTheFile() throws {
        let config = try ConfigurationLoader.parse(
            "database: /var/lib/l402/gw.sqlite\n", environment: ["DATABASE_URL": "postgresql://env@127.0.0.1/shared"])
        #expect(config.postgres == PostgresSettings(host: "127.0.0.1", username: "env", password: nil, database: "shared"))
        let empty = try ConfigurationLoader.parse("", environment: ["DATABASE_URL": ""])
        #expect(empty.postgres == nil)
    }

    @Test func badEnvironmentURLNamesTheVariableNotThePassword() {
        #expect {
            try ConfigurationLoader.parse("", environment: ["DATABASE_URL": "postgres://u:hunter2@h/db?color=blue"])
        } throws: { error in
            let description = "\(error)"
            return description.contains("DATABASE_URL") && description.contains("unknown option 'color'")
                && !description.contains("hunter2")
        }
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.parse("", environment: ["DATABASE_URL": "/var/lib/l402.sqlite"])
        }
    }

    @Test(arguments: [
        ("listen: 127.0.0.1:1\ndatabase: postgres://u:secret@/db\n", 2, "no host"),
        ("database: postgres://:secret@h/db\n", 1, "no user"),
        ("database: postgres://u:secret@h\n", 1, "no database"),
        ("database: postgres://u:secret@h/\n", 1, "no database"),
        ("database: postgres://u:secret@h:0/db\n", 1, "port must be 1 to 65535"),
        ("database: postgres://u:secret@h:port/db\n", 1, "not a valid URL"),
        ("database: postgres://u:secret@h/db?sslmode=verify-full\n", 1, "option 'sslmode'"),
        ("database: postgres://u:secret@h/db?schema=Bad-Name\n", 1, "option 'schema'"),
        ("database: postgres://u:secret@h/db?pool_size=0\n", 1, "option 'pool_size'"),
        ("database: postgres://u:secret@h/db?timeout=1.5\n", 1, "option 'timeout'"),
        ("database: postgres://u:secret@h/db?schema=a&schema=b\n", 1, "given twice"),
        ("database: \"\"\n", 1, "empty"),
    ])
    func badDatabaseSettingIsRejectedWithLineAndReason(yaml: String, line: Int, reason: String) {
        do {
            let config = try ConfigurationLoader.parse(yaml, file: "gw.yaml")
            Issue.record("accepted: \(config)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.field == "database", "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
            #expect(!error.description.contains("secret"), "\(error)")
        }
    }
}
