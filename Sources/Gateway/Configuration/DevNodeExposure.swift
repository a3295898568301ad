import Foundation

extension GatewayConfiguration {
    /// Refuses the dev node (the default backend) on a non-loopback listen address unless
    /// `allowDevOnPublicAddress` is set: it settles any invoice for anyone who asks, so on a public
    /// address anyone could call every paid tool for free. Checked once the command line has
    /// overridden the file (`l402 serve` calls it before creating any state); `file` names the source.
    public func checkDevNodeExposure(file: String = "<config>") throws(ConfigurationError) {
        guard lightning == .dev, !allowDevOnPublicAddress, !Self.isLoopback(host) else { return }
        throw ConfigurationError(
            file: file, line: nil, column: nil, field: "listen",
            reason: "refusing to run the dev Lightning node on '\(host)', which is not a loopback address: the dev node "
                + "settles any invoice for anyone who asks (POST /_l402/dev/pay), so every paid tool would be free to "
                + "anyone who can reach it. Listen on 127.0.0.1, ::1 or localhost, configure a real node "
                + "(`lightning: backend: lnd`), or set `allow_dev_on_public: true` if that is what you want")
    }

    /// Whether `host` is a loopback address: 127.0.0.0/8 (also IPv4-mapped), ::1, or `localhost`.
    /// Anything else, `0.0.0.0` and `::` included, is public.
    static func isLoopback(_ host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, host, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes == Array(repeating: 0, count: 15) + [1] { return true }
        // ::ffff:a.b.c.d, an IPv4 address in IPv6 form.
        return bytes.prefix(12) == ArraySlice(Array(repeating: 0, count: 10) + [0xff, 0xff]) && bytes[12] == 127
    }
}
