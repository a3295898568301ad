import L402
import HTTPTypes
import NIOHTTP1

/// Header rewriting of a reverse proxy (RFC 9110 §7.6.1): hop-by-hop fields stay on their hop.
enum ForwardedHeaders {
    /// Fields that describe one connection, never forwarded in either direction.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-connection", "proxy-authenticate", "proxy-authorization",
    ]

    /// Hop-by-hop names plus every field the `Connection` header lists.
    static func dropped(by fields: HTTPFields) -> Set<String> {
        var names = hopByHop
        for value in fields[values: .connection] {
            for token in value.split(separator: ",") {
                names.insert(token.trimmingCharacters(in: .whitespaces).lowercased())
            }
        }
        return names
    }

    /// The client's header fields as sent upstream: hop-by-hop fields, `Authorization` and
    /// `Payment-Authorization` (the credentials are for us, not the tool), `Host` and `Content-Length` (the HTTP client sets both
    /// from the URL and the body) removed; `X-Forwarded-For`, `-Proto` and `-Host` added.
    static func upstreamRequestHeaders(from fields: HTTPFields, clientAddress: String?, host: String?) -> HTTPHeaders {
        var drop = dropped(by: fields)
        drop.formUnion(["authorization", "payment-authorization", "host", "content-length", "x-forwarded-proto", "x-forwarded-host"])
        var headers = HTTPHeaders()
        headers.reserveCapacity(fields.count + 3)
        var forwardedFor: [String] = []
        for field in fields {
            let name = field.name.canonicalName
            if name == "x-forwarded-for" {
                forwardedFor.append(field.value)
            } else if !drop.contains(name) && !name.hasPrefix("proxy-") {
                headers.add(name: field.name.rawName, value: field.value)
            }
        }
        if let clientAddress { forwardedFor.append(clientAddress) }
        if !forwardedFor.isEmpty { headers.add(name: "X-Forwarded-For", value: forwardedFor.joined(separator: ", ")) }
        headers.add(name: "X-Forwarded-Proto", value: "http")
        if let host { headers.add(name: "X-Forwarded-Host", value: host) }
        return headers
    }

    /// The upstream's response header fields as sent to the client, hop-by-hop fields removed.
    static func clientResponseFields(from headers: HTTPHeaders) -> HTTPFields {
        var drop = hopByHop
        for value in headers[canonicalForm: "connection"] { drop.insert(value.lowercased()) }
        var fields = HTTPFields()
        for (name, value) in headers {
            let lower = name.lowercased()
            guard !drop.contains(lower), !lower.hasPrefix("proxy-"), let fieldName = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }
}
