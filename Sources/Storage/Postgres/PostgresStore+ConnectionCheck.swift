import L402
import NIOCore
import NIOSSL
import PostgresNIO

extension PostgresStore {
    /// Opens one connection outside the pool and closes it, so a gateway that cannot use its database
    /// says why at startup (the pool only retries quietly). Throws `DatabaseUnavailable` whose reason is the
    /// server's message (e.g. a failed password check, an unknown database) or the network error; never
    /// the password.
    public func checkConnection() async throws {
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: try connectionTLS())
        configuration.options.connectTimeout = TimeAmount.nanoseconds(Int64(settings.timeout.components.seconds) * 1_000_000_000)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try? await connection.close()
        } catch {
            throw DatabaseUnavailable(reason: "cannot connect to \(settings): \(PostgresFailure.explain(error))")
        }
    }

    private func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        switch settings.tls {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }
}
