import Hummingbird
import L402
import L402Admin

/// Token revocation: the root key is deleted, so every credential of the token fails from the next request on.
extension AdminAPI {
    func revoke(_ id: String) async throws -> Response {
        let tokenID: TokenID
        do {
            tokenID = try TokenID(hex: id)
        } catch {
            throw AdminFailure.invalidField("token_id", "\(error)")
        }
        // Through the gateway's cache of recent secrets: the revocation holds here at once.
        guard try await secrets.deleteRootKey(for: tokenID) else { throw AdminFailure.unknownToken(tokenID.hex) }
        logger.notice("admin: token \(tokenID.hex) revoked")
        return JSONResponse.make(status: .ok, AdminRevocation(revoked: tokenID.hex))
    }
}
