import Foundation
import Logging
import NIOCore
import WSClient

/// One WebSocket connection to a Nostr relay, open for the duration of a closure.
///
/// `RelayConnection.open(url:) { session in … }` connects (ws:// or wss://), hands the closure a
/// session to send client messages and read relay messages, and closes the connection when the
/// closure returns or throws.
public enum RelayConnection {
    /// Connects to `url`, runs `body` with the session, closes. Connection failures throw
    /// `RelayError.unreachable`; errors of `body` propagate.
    public static func open<T: Sendable>(
        url: String, logger: Logger = Logger(label: "nostr.relay"),
        _ body: @escaping @Sendable (RelaySession) async throws -> T
    ) async throws -> T {
        guard let parsed = URL(string: url), ["ws", "wss"].contains(parsed.scheme?.lowercased()), parsed.host != nil else {
            throw RelayError.invalidURL(url)
        }
        let outcome = LockedValue<Result<T, any Error>?>(nil)
        var configuration = WebSocketClientConfiguration()
        configuration.maxFrameSize = 1 << 20
        configuration.closeTimeout = .seconds(2)
        do {
            try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                let session = RelaySession(inbound: inbound, outbound: outbound, url: url)
                do {
                    let value = try await body(session)
                    outcome.value = .success(value)
                } catch {
                    outcome.value = .failure(error)
                }
            }
        } catch {
            // The body ran (and its answer stands) unless the connection itself failed first.
            if outcome.value == nil { throw RelayError.unreachable(url: url, reason: "\(error)") }
        }
        switch outcome.value {
        case .success(let value)?: return value
        case .failure(let error)?: throw error
        case nil: throw RelayError.unreachable(url: url, reason: "the connection closed before the exchange began")
        }
    }
}

/// An open connection to a relay: send client messages, read relay messages in order.
/// Used from one task at a time (the closure given to `RelayConnection.open`).
public final class RelaySession: @unchecked Sendable {
    private var messages: WebSocketInboundMessageStream.AsyncIterator
    private let outbound: WebSocketOutboundWriter
    /// The relay's URL, for error messages.
    public let url: String

    init(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, url: String) {
        self.messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        self.outbound = outbound
        self.url = url
    }

    /// Sends one client message.
    public func send(_ message: ClientMessage) async throws {
        do {
            try await outbound.write(.text(message.json))
        } catch {
            throw RelayError.connectionLost(url: url, reason: "\(error)")
        }
    }

    /// The next relay message; throws `RelayError.connectionLost` when the relay closes the connection.
    /// Text that is not a NIP-01 relay message is skipped (relays add their own chatter).
    public func receive() async throws -> RelayMessage {
        while true {
            let next: WebSocketMessage?
            do {
                next = try await messages.next()
            } catch {
                throw RelayError.connectionLost(url: url, reason: "\(error)")
            }
            guard let next else { throw RelayError.connectionLost(url: url, reason: "closed by the relay") }
            guard case .text(let text) = next, let message = try? RelayMessage(json: text) else { continue }
            return message
        }
    }
}

/// Why talking to a relay failed.
public enum RelayError: Error, Equatable, CustomStringConvertible {
    /// Not a ws:// or wss:// URL.
    case invalidURL(String)
    /// No WebSocket connection could be made.
    case unreachable(url: String, reason: String)
    /// The connection broke during the exchange.
    case connectionLost(url: String, reason: String)
    /// The relay refused our event (its `OK false` message).
    case eventRefused(url: String, message: String)
    /// The relay ended our subscription (its `CLOSED` message).
    case subscriptionClosed(url: String, message: String)

    public var description: String {
        switch self {
        case .invalidURL(let url): "not a ws:// or wss:// relay URL: \(url.prefix(200))"
        case .unreachable(let url, let reason): "relay \(url) unreachable: \(reason)"
        case .connectionLost(let url, let reason): "connection to relay \(url) lost: \(reason)"
        case .eventRefused(let url, let message): "relay \(url) refused the request event: \(message)"
        case .subscriptionClosed(let url, let message): "relay \(url) closed the subscription: \(message)"
        }
    }
}
