import Foundation
import NIOCore
import NIOHTTP1
import TestSupport

extension LNDStandIn {
    /// What the stand-in answers one request with.
    enum Answer {
        case json(status: HTTPResponseStatus, body: Any)
        case raw(status: HTTPResponseStatus, body: String)
        /// grpc-gateway's streaming framing: HTTP 200, one JSON object a line. `open` leaves the
        /// stream running after the lines, as LND does while a tracked payment is in flight.
        case stream(lines: [Any], open: Bool = false)

        /// Writes the answer; each stream line goes out cut in two writes, so the client must
        /// reassemble lines across chunks.
        func write(to writer: HTTPResponseWriter) {
            let json = HTTPHeaders([("Content-Type", "application/json")])
            switch self {
            case .json(let status, let object):
                writer.writeWhole(status: status, headers: json, body: Self.serialize(object))
            case .raw(let status, let text):
                writer.writeWhole(status: status, headers: json, body: Array(text.utf8))
            case .stream(let lines, let open):
                var headers = json
                headers.add(name: "Transfer-Encoding", value: "chunked")
                writer.writeHead(status: .ok, headers: headers)
                for line in lines {
                    let bytes = Self.serialize(line) + [UInt8(ascii: "\n")]
                    writer.writeBodyPart(bytes[..<(bytes.count / 2)])
                    writer.writeBodyPart(bytes[(bytes.count / 2)...])
                }
                if !open { writer.writeEnd() }
            }
        }

        private static func serialize(_ object: Any) -> [UInt8] {
            Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8))
        }
    }
}
