/// Named secrets of the server itself (not of a token), shared by every gateway of one database: the
/// `Payment` scheme's challenge-binding key is one, so a challenge issued by one gateway verifies on all.
/// The first caller's candidate wins and is kept; later callers get it back, whatever they offer.
public protocol ServerSecretStore: Sendable {
    /// The secret stored under `name`; when there is none yet, stores `candidate` and returns it.
    /// Atomic across processes sharing the database: every caller gets the same bytes.
    func serverSecret(named name: String, candidate: [UInt8]) async throws -> [UInt8]
}
