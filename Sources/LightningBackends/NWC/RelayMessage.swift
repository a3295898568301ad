import Foundation

/// A subscription filter (NIP-01): every condition given must hold; `tags` maps a single letter
/// (`e`, `p`) to the values one of the event's tags of that name must have.
public struct NostrFilter: Sendable, Equatable {
    /// Event ids (hex) one of which the event must have.
    public var ids: [String]?
    /// Public keys (hex) one of which must be the author.
    public var authors: [String]?
    /// Kinds one of which the event must be.
    public var kinds: [Int]?
    /// Tag name (one letter) → values: the event needs a tag of that name with one of them.
    public var tags: [String: [String]]
    /// Oldest `created_at` accepted.
    public var since: Int?
    /// How many stored events the relay should send at most.
    public var limit: Int?

    /// A filter with the given conditions (nil: no condition).
    public init(ids: [String]? = nil, authors: [String]? = nil, kinds: [Int]? = nil, tags: [String: [String]] = [:], since: Int? = nil, limit: Int? = nil) {
        self.ids = ids
        self.authors = authors
        self.kinds = kinds
        self.tags = tags
        self.since = since
        self.limit = limit
    }

    /// Whether `event` passes this filter (the relay decides; the client checks again, as a relay may send anything).
    public func matches(_ event: NostrEvent) -> Bool {
        if let ids, !ids.contains(event.id) { return false }
        if let authors, !authors.contains(event.pubkey) { return false }
        if let kinds, !kinds.contains(event.kind) { return false }
        if let since, event.createdAt < since { return false }
        for (name, values) in tags {
            guard event.tags.contains(where: { $0.count >= 2 && $0[0] == name && values.contains($0[1]) }) else { return false }
        }
        return true
    }

    var jsonObject: [String: Any] {
        var object: [String: Any] = [:]
        if let ids { object["ids"] = ids }
        if let authors { object["authors"] = authors }
        if let kinds { object["kinds"] = kinds }
        for (name, values) in tags { object["#" + name] = values }
        if let since { object["since"] = since }
        if let limit { object["limit"] = limit }
        return object
    }
}

/// What a client sends a relay (NIP-01).
public enum ClientMessage: Sendable, Equatable {
    /// `["EVENT", event]`: publish.
    case event(NostrEvent)
    /// `["REQ", id, filters…]`: subscribe.
    case request(subscription: String, filters: [NostrFilter])
    /// `["CLOSE", id]`: end a subscription.
    case close(subscription: String)

    /// The JSON array text sent as one WebSocket text message.
    public var json: String {
        switch self {
        case .event(let event):
            return #"["EVENT",\#(event.json)]"#
        case .request(let subscription, let filters):
            let objects = filters.map { Self.serialize($0.jsonObject) }
            return "[\"REQ\",\(NostrJSON.string(subscription)),\(objects.joined(separator: ","))]"
        case .close(let subscription):
            return "[\"CLOSE\",\(NostrJSON.string(subscription))]"
        }
    }

    private static func serialize(_ object: [String: Any]) -> String {
        // Filters hold only hex strings and integers: JSONSerialization writes them unambiguously.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// What a relay sends a client (NIP-01).
public enum RelayMessage: Sendable, Equatable {
    /// An event matching one of our subscriptions.
    case event(subscription: String, NostrEvent)
    /// Whether the relay accepted an event we published (and why not).
    case ok(eventID: String, accepted: Bool, message: String)
    /// EOSE: stored events are all sent; new ones follow as they come.
    case endOfStoredEvents(subscription: String)
    /// The relay ended (or refused) a subscription.
    case closed(subscription: String, message: String)
    /// A human-readable message from the relay.
    case notice(String)

    /// Parses one relay message; throws for anything that is not one of NIP-01's five shapes.
    public init(json: String) throws(NostrError) {
        guard let array = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any], let type = array.first as? String else {
            throw .invalidEvent("relay message is not a JSON array: \(json.prefix(80))")
        }
        switch (type, array.count) {
        case ("EVENT", 3):
            guard let subscription = array[1] as? String, let event = Self.decodeEvent(array[2]) else {
                throw .invalidEvent("malformed EVENT message")
            }
            self = .event(subscription: subscription, event)
        case ("OK", 4):
            guard let id = array[1] as? String, let accepted = array[2] as? Bool, let message = array[3] as? String else {
                throw .invalidEvent("malformed OK message")
            }
            self = .ok(eventID: id, accepted: accepted, message: message)
        case ("EOSE", 2):
            guard let subscription = array[1] as? String else { throw .invalidEvent("malformed EOSE message") }
            self = .endOfStoredEvents(subscription: subscription)
        case ("CLOSED", 3):
            guard let subscription = array[1] as? String, let message = array[2] as? String else { throw .invalidEvent("malformed CLOSED message") }
            self = .closed(subscription: subscription, message: message)
        case ("NOTICE", 2):
            self = .notice(array[1] as? String ?? "")
        default:
            throw .invalidEvent("unknown relay message '\(type.prefix(20))' with \(array.count) elements")
        }
    }

    static func decodeEvent(_ object: Any) -> NostrEvent? {
        guard JSONSerialization.isValidJSONObject(object), let data = try? JSONSerialization.data(withJSONObject: object) else { return nil }
        return try? JSONDecoder().decode(NostrEvent.self, from: data)
    }
}
