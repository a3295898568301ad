import L402
import Foundation
import Hummingbird
import NIOCore

/// JSON bodies the gateway writes itself (errors, challenges, dev endpoints).
enum JSONResponse {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// A response with `value` encoded as JSON.
    static func make(status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) -> Response {
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"internal","message":"could not encode the response"}"#.utf8)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `{"error": code, "message": message}`: the shape of every error the gateway answers itself.
    static func error(status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) -> Response {
        make(status: status, ErrorBody(error: code, message: message), headers: headers)
    }

    struct ErrorBody: Encodable {
        var error: String
        var message: String
    }
}
