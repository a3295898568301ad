import Foundation

/// Reads the upstream's JSON-RPC messages on their way to the client: which priced `tools/call`
/// requests were answered with a result (spent) or with an error, `isError: true`, or not at all
/// (not spent). It also adds what the gateway has to say to some answers: the receipt of a paid
/// call, and the payment capability in the answer to `initialize`.
final class MCPAnswerWatcher: @unchecked Sendable {
    // Used by one response body writer at a time; never shared between tasks.
    private let pricedIDs: Set<String>
    private let initializeID: String?
    private let receiptMeta: [String: Any]?
    /// Priced calls answered with a successful result.
    private(set) var succeeded: [String] = []
    /// Priced calls answered with an error or `isError: true`.
    private(set) var failed: [String] = []

    /// - Parameters:
    ///   - pricedIDs: ids of the priced `tools/call` requests (`MCPRequestBody.idKey`).
    ///   - receiptMeta: merged into `result._meta` of each successful priced answer (the receipt under
    ///     `org.l402/receipt`, or `org.paymentauth/receipt` for a `Payment` charge); nil: none.
    init(pricedIDs: Set<String>, initializeID: String?, receiptMeta: [String: Any]?) {
        self.pricedIDs = pricedIDs
        self.initializeID = initializeID
        self.receiptMeta = receiptMeta
    }

    /// The payment capability the gateway adds to `initialize` answers (`capabilities.experimental.payment`):
    /// the L402 scheme over Lightning, and where an MCP client puts the credential.
    static var paymentCapability: [String: Any] {
        [
            "methods": ["lightning": ["intents": ["charge"]]],
            "schemes": ["L402"],
            "credentialMetaKey": MCPRequestBody.credentialKey,
            "receiptMetaKey": receiptKey,
        ]
    }
    /// The `_meta` key of the receipt in a paid call's result.
    static let receiptKey = "org.l402/receipt"
    /// The `_meta` key of a `Payment` charge's receipt (draft-payment-transport-mcp-00).
    static let paymentReceiptKey = "org.paymentauth/receipt"

    /// Whether a priced call was answered successfully: the request is to be committed.
    var anySucceeded: Bool { !succeeded.isEmpty }

    /// Looks at one JSON text (a whole JSON answer, or one SSE event's data) and returns it
    /// rewritten when the gateway adds something to it, nil when it passes unchanged.
    func observe(json bytes: [UInt8]) -> [UInt8]? {
        guard !pricedIDs.isEmpty || initializeID != nil else { return nil }  // nothing to look for: not parsed
        guard let value = try? JSONSerialization.jsonObject(with: Data(bytes), options: []) else { return nil }
        if var array = value as? [Any] {
            var changed = false
            for index in array.indices {
                if let object = array[index] as? [String: Any], let rewritten = observe(message: object) {
                    array[index] = rewritten
                    changed = true
                }
            }
            return changed ? Self.encode(array) : nil
        }
        guard let object = value as? [String: Any], let rewritten = observe(message: object) else { return nil }
        return Self.encode(rewritten)
    }

    /// Notes the outcome of a priced answer; returns the message with the gateway's additions, nil when none.
    private func observe(message: [String: Any]) -> [String: Any]? {
        // A request from the server (sampling, elicitation) has ids of its own: only answers count.
        guard message["method"] == nil, let idValue = message["id"], let id = MCPRequestBody.idKey(idValue) else { return nil }
        if id == initializeID, var result = message["result"] as? [String: Any] {
            var capabilities = result["capabilities"] as? [String: Any] ?? [:]
            var experimental = capabilities["experimental"] as? [String: Any] ?? [:]
            experimental["payment"] = Self.paymentCapability
            capabilities["experimental"] = experimental
            result["capabilities"] = capabilities
            var message = message
            message["result"] = result
            return message
        }
        guard pricedIDs.contains(id), !succeeded.contains(id), !failed.contains(id) else { return nil }
        guard var result = message["result"] as? [String: Any], result["isError"] as? Bool != true else {
            failed.append(id)
            return nil
        }
        succeeded.append(id)
        guard let receiptMeta else { return nil }
        var meta = result["_meta"] as? [String: Any] ?? [:]
        meta.merge(receiptMeta) { _, ours in ours }
        result["_meta"] = meta
        var message = message
        message["result"] = result
        return message
    }

    private static func encode(_ value: Any) -> [UInt8]? {
        try? Array(JSONSerialization.data(withJSONObject: value, options: [.withoutEscapingSlashes]))
    }
}
