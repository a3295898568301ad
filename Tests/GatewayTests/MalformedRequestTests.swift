import Foundation
import Testing
import TestSupport

/// Requests the HTTP/1 parser refuses get the gateway's JSON 400, not an empty one, and cost the
/// gateway nothing but that connection.
@Suite struct MalformedRequestTests {
    @Test func aHeadPastTheLimitIsAJSON400() async throws {
        try await GatewayHarness.with(tools: PaymentFlowTests.standardTools) { gateway throws in
            let huge = try await gateway.send(.GET, "/paid/x", headers: [("X-Big", String(repeating: "A", count: 100_000))])
            #expect(huge.status == 400)
            #expect(huge.headers.first(name: "Content-Type") == "application/json")
            #expect(huge.headers.first(name: "Connection") == "close")
            let error = try JSONDecoder().decode(ErrorJSON.self, from: Data(huge.body.utf8))
            #expect(error.error == "header_too_large")
            #expect(error.message.contains("65536 bytes (max_header_bytes)"), "\(error.message)")
            #expect(try await gateway.send(.GET, "/_l402/health").status == 200)
        }
    }

    @Test func aMalformedHeadIsAJSON400() async throws {
        try await GatewayHarness.with(tools: PaymentFlowTests.standardTools) { gateway throws in
            let answer = try await Self.raw("GET /paid/x HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n", port: gateway.port)
            #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(answer.prefix(300))")
            #expect(answer.contains(#"{"error":"bad_request","message":"malformed HTTP/1.1 request: "#), "\(answer)")
            #expect(try await gateway.send(.GET, "/_l402/health").status == 200)
        }
    }

    /// A malformed request pipelined behind a good one: the good one's answer arrives whole, then the
    /// JSON 400, then the end of the connection.
    @Test func aMalformedRequestBehindAGoodOneIsAnsweredAfterIt() async throws {
        try await GatewayHarness.with(tools: PaymentFlowTests.standardTools) { gateway throws in
            let answer = try await Self.raw(
                "GET /_l402/health HTTP/1.1\r\nHost: a\r\n\r\nGET /paid/x HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n",
                port: gateway.port)
            let (first, rest) = try Self.firstResponse(of: answer)
            #expect(first.hasPrefix("HTTP/1.1 200 OK\r\n") && first.hasSuffix(#"{"status":"ok"}"#), "\(first)")
            let (second, after) = try Self.firstResponse(of: rest)
            #expect(second.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(second)")
            #expect(second.contains(#"{"error":"bad_request","#), "\(second)")
            #expect(after.isEmpty, "nothing follows the 400: \(after)")
        }
    }

    /// The first response of `text` (head and a body of its Content-Length) and what follows it.
    static func firstResponse(of text: String) throws -> (response: String, rest: String) {
        let bytes = Array(text.utf8)
        let separator = Array("\r\n\r\n".utf8)
        guard bytes.count >= separator.count,
            let end = (0...(bytes.count - separator.count)).first(where: { Array(bytes[$0..<$0 + separator.count]) == separator }),
            let lengthLine = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                .first(where: { $0.lowercased().hasPrefix("content-length:") }),
            let length = Int(lengthLine.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)),
            end + separator.count + length <= bytes.count
        else { throw HarnessError("no whole response in: \(text)") }
        let split = end + separator.count + length
        return (String(decoding: bytes[..<split], as: UTF8.self), String(decoding: bytes[split...], as: UTF8.self))
    }

    /// A chunked body the parser refuses mid-request is a 400 `bad_request`, not a 413: it was not too large.
    @Test func aMalformedChunkedBodyIsABadRequest() async throws {
        try await GatewayHarness.with(tools: PaymentFlowTests.standardTools) { gateway throws in
            let answer = try await Self.raw(
                "POST /paid/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", port: gateway.port)
            let (response, _) = try Self.firstResponse(of: answer)
            #expect(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(response)")
            #expect(response.contains(#"{"error":"bad_request","message":"the request body could not be read: "#), "\(response)")
            #expect(try await gateway.send(.GET, "/_l402/health").status == 200)
        }
    }

    /// Sends `request` as raw bytes on one connection and returns everything the gateway wrote until it
    /// closed. The client runs on a thread of its own: the in-process gateway needs the task pool meanwhile.
    static func raw(_ request: String, port: Int) async throws -> String {
        let script = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
            s.sendall(sys.argv[2].encode())
            out = b""
            try:
                while chunk := s.recv(65536):
                    out += chunk
            except ConnectionResetError:  # closed with request bytes still unread: what came before stands
                pass
            sys.stdout.buffer.write(out)
            """
        return try await Subprocess.runInBackground("python3", ["-c", script, String(port), request]).stdout
    }
}
