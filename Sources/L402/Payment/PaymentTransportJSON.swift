import ByteEncoding

/// The MCP transport of the `Payment` scheme (draft-payment-transport-mcp-00) carries challenges and
/// credentials as JSON objects, with `request` as a JSON object instead of its base64url text. The
/// binding covers the base64url of the canonical (RFC 8785) JSON, so one converts losslessly into
/// the other: the issuer always encodes `request` canonically.
extension PaymentChallenge {
    /// The challenge as a JSON-RPC `-32042` error's `data.challenges` entry: its parameters, with
    /// `request` decoded to an object; nil when `request` is not base64url JSON.
    public var transportJSON: JSONValue? {
        guard let bytes = try? Base64URL.decode(request), let object = try? JSONValue.parse(bytes) else { return nil }
        return .object(parameters.map { name, value in (name, name == "request" ? object : .string(value)) })
    }
}

extension PaymentCredential {
    /// Reads a credential as the MCP transport sends it (`_meta["org.paymentauth/credential"]`):
    /// `{challenge, source?, payload}` whose challenge's `request` is an object (re-encoded as the
    /// canonical base64url the binding covers) or already the base64url text.
    public init(transportJSON json: JSONValue) throws(PaymentCredentialError) {
        guard case .object(var members) = json, let slot = members.firstIndex(where: { $0.0 == "challenge" }),
              case .object(var challenge) = members[slot].1
        else {
            try self.init(json: json)
            return
        }
        if let request = challenge.firstIndex(where: { $0.0 == "request" }), case .object = challenge[request].1 {
            challenge[request].1 = .string(challenge[request].1.canonicalBase64URL)
        }
        members[slot].1 = .object(challenge)
        try self.init(json: .object(members))
    }
}
