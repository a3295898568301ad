import Foundation
import L402

/// The JSON-RPC body of a POST to an MCP tool, read and checked before anything reaches the
/// upstream: one message or a batch of at most `maxBatch`, every `tools/call` a request (with an
/// id) naming a tool. A body that breaks a rule is answered 400 and never forwarded.
struct MCPRequestBody {
    /// Largest batch accepted (JSON-RPC batches are priced as the sum of their calls).
    static let maxBatch = 100
    /// The `_meta` key an MCP client puts its L402 credential under (`L402 <macaroon>:<preimage>`).
    static let credentialKey = "org.l402/credential"
    /// The `_meta` key of a `Payment` credential object (draft-payment-transport-mcp-00).
    static let paymentCredentialKey = "org.paymentauth/credential"

    /// One `tools/call` request of the body.
    struct ToolCall: Equatable {
        /// The request id, in a form responses are matched by (see `MCPRequestBody.idKey`).
        var id: String
        var name: String
    }

    /// Why a body is refused (400).
    struct Failure: Error, Equatable, CustomStringConvertible {
        /// `invalid_json_rpc`, `batch_too_large`, `missing_tool_name` or `invalid_tool_name`.
        var code: String
        var description: String
    }

    /// Whether the body was a JSON array.
    let isBatch: Bool
    /// The messages, in order (a single message is a batch of one here).
    private(set) var messages: [[String: Any]]
    /// Every `tools/call`, in order.
    let toolCalls: [ToolCall]
    /// The id of an `initialize` request, if the body holds one.
    let initializeID: String?
    /// Whether that `initialize` declared `capabilities.experimental.payment`.
    let declaresPayment: Bool
    /// The first credential found in a `_meta` (of `params` or of the message), as an
    /// `Authorization` value: an L402 one as sent, a `Payment` object as `Payment <base64url>`.
    private(set) var metaCredential: String?

    init(_ bytes: [UInt8]) throws(Failure) {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            throw Failure(code: "invalid_json_rpc", description: "the body is not JSON")
        }
        if let array = value as? [Any] {
            guard !array.isEmpty else { throw Failure(code: "invalid_json_rpc", description: "an empty batch is not JSON-RPC") }
            guard array.count <= Self.maxBatch else {
                throw Failure(code: "batch_too_large", description: "a batch may hold at most \(Self.maxBatch) messages, not \(array.count)")
            }
            isBatch = true
            messages = try array.enumerated().map { (index, item) throws(Failure) in
                guard let object = item as? [String: Any] else {
                    throw Failure(code: "invalid_json_rpc", description: "batch item #\(index) is not a JSON-RPC message object")
                }
                return object
            }
        } else if let object = value as? [String: Any] {
            isBatch = false
            messages = [object]
        } else {
            throw Failure(code: "invalid_json_rpc", description: "the body must be a JSON-RPC message object or a batch (array)")
        }
        var calls: [ToolCall] = []
        var initializeID: String?
        var declaresPayment = false
        for (index, message) in messages.enumerated() {
            let place = isBatch ? "batch item #\(index)" : "the message"
            guard message["jsonrpc"] as? String == "2.0" else {
                throw Failure(code: "invalid_json_rpc", description: "\(place) lacks \"jsonrpc\": \"2.0\"")
            }
            guard let methodValue = message["method"] else { continue }  // a response to a server request: free
            guard let method = methodValue as? String else {
                throw Failure(code: "invalid_json_rpc", description: "\(place) has a method that is not a string")
            }
            let id = message["id"].flatMap(Self.idKey)
            if message["id"] != nil, id == nil {
                throw Failure(code: "invalid_json_rpc", description: "\(place) has an id that is neither a string nor a number")
            }
            switch method {
            case "tools/call":
                guard let id else {
                    throw Failure(code: "invalid_json_rpc", description: "\(place): tools/call must be a request with an id, not a notification")
                }
                guard let params = message["params"] as? [String: Any], let name = params["name"] as? String, !name.isEmpty else {
                    throw Failure(code: "missing_tool_name", description: "\(place): tools/call needs params.name, the MCP tool to call")
                }
                guard ToolReader.isValidMCPToolName(name) else {
                    throw Failure(code: "invalid_tool_name", description: "\(place): '\(name)' is not a valid MCP tool name")
                }
                guard !calls.contains(where: { $0.id == id }) else {
                    throw Failure(code: "invalid_json_rpc", description: "\(place): two tools/call requests share one id")
                }
                calls.append(ToolCall(id: id, name: name))
            case "initialize":
                initializeID = id
                let capabilities = (message["params"] as? [String: Any])?["capabilities"] as? [String: Any]
                declaresPayment = (capabilities?["experimental"] as? [String: Any])?["payment"] is [String: Any]
            default:
                continue
            }
        }
        self.toolCalls = calls
        self.initializeID = initializeID
        self.declaresPayment = declaresPayment
        try takeCredentials()
    }

    /// Moves credentials out of the messages' `_meta` (the upstream never sees them) into
    /// `metaCredential`.
    private mutating func takeCredentials() throws(Failure) {
        for index in messages.indices {
            var message = messages[index]
            if var params = message["params"] as? [String: Any] {
                try takeCredentials(from: &params)
                message["params"] = params
            }
            try takeCredentials(from: &message)
            messages[index] = message
        }
    }

    private mutating func takeCredentials(from container: inout [String: Any]) throws(Failure) {
        if let credential = Self.take(Self.credentialKey, from: &container) {
            guard let text = credential as? String else { throw Self.credentialNotText }
            metaCredential = metaCredential ?? text
            wasRewritten = true
        }
        if let credential = Self.take(Self.paymentCredentialKey, from: &container) {
            let header = try Self.paymentHeaderValue(credential)
            metaCredential = metaCredential ?? header
            wasRewritten = true
        }
    }

    private static let credentialNotText = Failure(
        code: "invalid_json_rpc", description: "_meta[\"\(credentialKey)\"] must be a string: \"L402 <macaroon>:<preimage>\"")

    /// A `Payment` credential object as the `Authorization` value the paywall reads.
    private static func paymentHeaderValue(_ credential: Any) throws(Failure) -> String {
        let refusal = { (reason: String) in
            Failure(code: "invalid_json_rpc", description: "_meta[\"\(paymentCredentialKey)\"] must be a credential object {challenge, payload}: \(reason)")
        }
        guard JSONSerialization.isValidJSONObject(credential),
              let data = try? JSONSerialization.data(withJSONObject: credential, options: [.fragmentsAllowed])
        else { throw refusal("not a JSON object") }
        do {
            return try PaymentCredential(transportJSON: try L402.JSONValue.parse(Array(data))).headerValue
        } catch {
            throw refusal("\(error)")
        }
    }

    /// Removes the `_meta` member `key` from `container` (and `_meta` itself when that empties it).
    private static func take(_ key: String, from container: inout [String: Any]) -> Any? {
        guard var meta = container["_meta"] as? [String: Any], let credential = meta.removeValue(forKey: key) else { return nil }
        container["_meta"] = meta.isEmpty ? nil : meta
        return credential
    }

    /// Whether a credential was taken out, so the body must be written anew.
    private(set) var wasRewritten = false

    /// The body as forwarded: the original bytes, or the messages without the credential.
    func forwardedBytes(original: [UInt8]) -> [UInt8] {
        guard wasRewritten else { return original }
        let value: Any = isBatch ? messages : messages[0]
        return (try? Array(JSONSerialization.data(withJSONObject: value, options: [.withoutEscapingSlashes]))) ?? original
    }

    /// A JSON-RPC id as a key responses are matched by: `s:<text>` for a string, `n:<number>` for a number.
    static func idKey(_ value: Any) -> String? {
        if let text = value as? String { return "s:" + text }
        if let number = value as? NSNumber, type(of: number) != booleanType { return "n:\(number)" }
        return nil
    }

    /// The class Foundation's JSON reader boxes `true` and `false` in (a JSON boolean is no id).
    private static let booleanType = type(of: NSNumber(value: true))
}
