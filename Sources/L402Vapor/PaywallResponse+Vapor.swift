import HTTPTypes
import L402Server
import NIOHTTP1
import Vapor

extension Response {
    /// The paywall core's own answer (a challenge, a refusal) as a Vapor response.
    public convenience init(_ own: PaywallResponse) {
        var headers = HTTPHeaders()
        for field in own.headers { headers.add(name: field.name.rawName, value: field.value) }
        self.init(
            status: HTTPResponseStatus(statusCode: own.status.code, reasonPhrase: own.status.reasonPhrase), headers: headers,
            body: .init(data: Data(own.body)))
    }
}

extension HTTPFields {
    /// Vapor's (NIO's) header list, in order, as HTTPTypes fields; names that are not valid tokens are skipped.
    init(_ headers: HTTPHeaders) {
        self.init()
        for (name, value) in headers {
            guard let fieldName = HTTPField.Name(name) else { continue }
            append(HTTPField(name: fieldName, value: value))
        }
    }
}
