import L402
import Storage

extension Field {
    /// `database:` is either a PostgreSQL URL (`postgres://…`, checked here) or the path of the SQLite file.
    func readDatabase(into configuration: inout GatewayConfiguration) throws(ConfigurationError) {
        let value = try nonEmptyString()
        guard PostgresSettings.isPostgresURL(value) else {
            configuration.databasePath = value
            return
        }
        do {
            configuration.postgres = try PostgresSettings(url: value)
        } catch {
            throw self.error("\(error)")
        }
    }
}

extension ConfigurationLoader {
    /// `DATABASE_URL` (a `postgres://` URL) wins over the file's `database`, so the password can stay out of the file.
    static func applyDatabaseEnvironment(
        _ environment: [String: String], to configuration: inout GatewayConfiguration, file: String
    ) throws(ConfigurationError) {
        guard let url = environment["DATABASE_URL"], !url.isEmpty else { return }
        do {
            configuration.postgres = try PostgresSettings(url: url)
        } catch {
            throw ConfigurationError(file: file, line: nil, column: nil, field: "DATABASE_URL (environment)", reason: "\(error)")
        }
    }
}
