import L402
import Foundation
import HTTPTypes

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who a request comes from, for free calls, the challenge rate limit and the request log.
///
/// The client is the TCP peer's IP address. Only when the peer is one of the operator's
/// `trusted_proxies` is `X-Forwarded-For` read: from its right end, skipping trusted proxies, the
/// first address is the client (everything further left was written by the client itself and
/// could be forged). An entry that is not an IP address stops the walk at the proxy before it.
public struct ClientAddress: Sendable {
    /// The header a trusted proxy names the client in.
    public static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// Exact IP addresses of reverse proxies in front of the gateway (normalised by `canonical`).
    public let trustedProxies: Set<String>

    /// Reads `X-Forwarded-For` only from these proxy addresses; an empty list trusts none.
    public init(trustedProxies: [String]) {
        self.trustedProxies = Set(trustedProxies.compactMap(Self.canonical))
    }

    /// The client's IP address, or nil when the connection has none (a Unix socket).
    public func resolve(peer: String?, forwardedFor: [String]) -> String? {
        guard !trustedProxies.isEmpty else { return peer }  // the common case: no proxy, nothing to parse
        guard let peer = peer.flatMap(Self.canonical) ?? peer else { return nil }
        guard trustedProxies.contains(peer) else { return peer }
        var client = peer
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
        for hop in hops.reversed() {
            guard let address = Self.canonical(hop.trimmingCharacters(in: .whitespaces)) else { break }
            client = address
            if !trustedProxies.contains(address) { break }
        }
        return client
    }

    /// The key free calls and the rate limit count under: the IPv4 address, or an IPv6 address's
    /// /64 network (one subscriber usually holds a whole /64, so single addresses would be free).
    public static func accountKey(_ address: String) -> String {
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return address }
        var bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return bytes[12...].map(String.init).joined(separator: ".")  // IPv4-mapped: the IPv4 client
        }
        for index in 8..<16 { bytes[index] = 0 }
        return format(v6: bytes) + "/64"
    }

    /// The canonical text of an IPv4 or IPv6 address (so `::0001` and `::1` are one client); nil if
    /// `text` is neither.
    public static func canonical(_ text: String) -> String? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { $0.map(String.init).joined(separator: ".") } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        return format(v6: withUnsafeBytes(of: &v6) { Array($0) })
    }

    private static func format(v6 bytes: [UInt8]) -> String {
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
