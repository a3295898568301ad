import L402
import ByteEncoding
import Crypto
import Foundation

/// The dashboard's login cookie. Its value is `<expiry>.<mac>`: a unix expiry time and
/// HMAC-SHA256 over a fixed label and that time, keyed with the admin token's SHA-256. The raw token never
/// leaves the login form, a session ends on its own after `lifetime` (YAML `dashboard_session_hours`), and changing the admin token
/// ends every session. The MAC is checked in constant time.
struct DashboardSession: Sendable {
    /// The cookie's name.
    static let cookieName = "l402_dashboard"
    /// The cookie is sent only to the gateway's own endpoints.
    static let cookiePath = "/_l402/"
    /// How long a login lasts unless configured otherwise.
    static let defaultLifetime: TimeInterval = 12 * 3600
    private static let label = "l402 dashboard session v1"

    private let key: SymmetricKey
    /// How long a login lasts.
    let lifetime: TimeInterval

    /// Sessions keyed with `adminToken`, each lasting `lifetime`.
    init(adminToken: AdminToken, lifetime: TimeInterval = Self.defaultLifetime) {
        key = SymmetricKey(data: adminToken.digest)
        self.lifetime = lifetime
    }

    /// A fresh cookie value, valid until `now + lifetime`.
    func issue(now: Date) -> String {
        let expiry = Int64((now.timeIntervalSince1970 + lifetime).rounded(.down))
        return "\(expiry).\(Hex.encode(mac(expiry: expiry)))"
    }

    /// Whether `value` is a cookie this gateway issued under the current admin token that has not expired.
    func accepts(_ value: String?, now: Date) -> Bool {
        guard let value, value.utf8.count <= 128, let dot = value.firstIndex(of: "."),
            let expiry = Int64(value[..<dot]),
            let presented = try? Hex.decode(value[value.index(after: dot)...])
        else { return false }
        let authentic = HMAC<SHA256>.isValidAuthenticationCode(presented, authenticating: Self.message(expiry: expiry), using: key)
        return authentic && Double(expiry) > now.timeIntervalSince1970
    }

    /// `Set-Cookie` for a new login.
    func setCookieHeader(now: Date) -> String {
        "\(Self.cookieName)=\(issue(now: now)); Path=\(Self.cookiePath); Max-Age=\(Int(lifetime)); HttpOnly; SameSite=Strict"
    }

    /// `Set-Cookie` that removes the login cookie (logout).
    static var clearCookieHeader: String {
        "\(cookieName)=; Path=\(cookiePath); Max-Age=0; HttpOnly; SameSite=Strict"
    }

    private func mac(expiry: Int64) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Self.message(expiry: expiry), using: key))
    }

    private static func message(expiry: Int64) -> [UInt8] {
        Array("\(label)|\(expiry)".utf8)
    }
}
