import ByteEncoding
import Foundation
import Logging

/// One NIP-47 request and its response over a relay: learn the wallet service's encryption from
/// its info event (once per wallet), subscribe to the answer, publish the request, await the answer.
struct NWCExchange: Sendable {
    let connection: NWCConnectionURI
    let encryption: NegotiatedEncryption
    let logger: Logger

    /// How an exchange ended without an answer; whether the request may have reached the wallet service decides.
    enum Failure: Error {
        /// Nothing was published: the wallet service cannot have seen the request.
        case notSent(String)
        /// The relay refused the request event: nothing was delivered.
        case refused(String)
        /// The request was published and no answer came (timeout, connection lost): its outcome is unknown.
        case noAnswer(String)
        /// An answer came that cannot be read.
        case malformed(String)
    }

    /// Sends `request` and returns the wallet service's response. Reaching the relay and subscribing
    /// may take up to `connectTimeout`; once the request is published, the answer may take up to
    /// `timeout`. The request's `expiration` tag is that second deadline (rounded up to the second),
    /// so a wallet service that honours NIP-47 ignores it once this client has stopped waiting.
    func send(_ request: NWCRequest, timeout: Duration, connectTimeout: Duration) async throws(Failure) -> NWCResponse {
        let published = LockedValue(false)
        let deadline = LockedValue(Date().adding(connectTimeout))
        do {
            return try await withThrowingTaskGroup(of: NWCResponse.self) { group in
                group.addTask {
                    try await self.sendThroughRelays(request, published: published) {
                        // Called just before publishing: from now on the answer's deadline counts.
                        let answerDeadline = Date().adding(timeout)
                        deadline.value = answerDeadline
                        return Int(answerDeadline.timeIntervalSince1970.rounded(.up))
                    }
                }
                group.addTask {
                    // The deadline moves once, when the request goes out: poll it rather than sleep once.
                    while Date() < deadline.value { try await Task.sleep(for: .milliseconds(50)) }
                    throw TimedOut()
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch let failure as Failure {
            throw failure
        } catch is TimedOut {
            throw Self.lost(published.value ? "no answer from the \(connection) within \(timeout)" : "could not reach the \(connection) within \(connectTimeout)", published: published.value)
        } catch {
            throw Self.lost("\(error)", published: published.value)
        }
    }

    private struct TimedOut: Error {}

    /// No answer, for `reason`: unknown outcome once the request was published, nothing sent before.
    private static func lost(_ reason: String, published: Bool) -> Failure {
        published ? .noAnswer(reason + "; the request went out, its outcome is unknown") : .notSent(reason)
    }

    /// Tries the relays in order while nothing has been published; once a request is out, no other relay gets it.
    private func sendThroughRelays(
        _ request: NWCRequest, published: LockedValue<Bool>, expiration: @escaping @Sendable () -> Int
    ) async throws -> NWCResponse {
        var reasons: [String] = []
        for relay in connection.relays {
            do {
                return try await RelayConnection.open(url: relay, logger: logger) { session in
                    try await self.exchange(request, on: session, published: published, expiration: expiration)
                }
            } catch let error as RelayError {
                if case .eventRefused(_, let message) = error { throw Failure.refused(message) }
                guard !published.value else { throw Self.lost(error.description, published: true) }
                reasons.append(error.description)
            }
        }
        throw Failure.notSent(reasons.joined(separator: "; "))
    }

    private func exchange(
        _ request: NWCRequest, on session: RelaySession, published: LockedValue<Bool>, expiration: @Sendable () -> Int
    ) async throws -> NWCResponse {
        let scheme = try await encryption.scheme(session: session, walletPublicKey: connection.walletPublicKey)
        let walletKey = try Hex.decode(connection.walletPublicKey)
        let clientKey = connection.clientKey
        let plaintext = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        let content = try scheme.encrypt(plaintext, from: clientKey, to: walletKey)
        // Subscribe before publishing: responses are ephemeral events, a relay keeps none for later.
        let toUs = NostrFilter(authors: [connection.walletPublicKey], kinds: [NWCKind.response], tags: ["p": [clientKey.publicKeyHex]])
        try await session.send(.request(subscription: "nwc-response", filters: [toUs]))
        try await awaitEndOfStoredEvents("nwc-response", session: session)
        // Built now, so that its expiration is the answer's deadline, which starts with publishing.
        var tags = [["p", connection.walletPublicKey], ["expiration", String(expiration())]]
        if scheme == .nip44 { tags.append(["encryption", scheme.rawValue]) }  // no tag means NIP-04 to legacy services
        let event = NostrEvent(kind: NWCKind.request, tags: tags, content: content, createdAt: Int(Date().timeIntervalSince1970), key: clientKey)
        var answers = toUs
        answers.tags["e"] = [event.id]  // checked here: the answer must name this request
        published.value = true
        try await session.send(.event(event))
        while true {
            switch try await session.receive() {
            case .ok(let id, false, let message) where id == event.id || id.isEmpty:
                throw RelayError.eventRefused(url: session.url, message: message)
            case .event("nwc-response", let candidate):
                if let response = try answer(candidate, filter: answers, scheme: scheme) { return response }
            case .closed("nwc-response", let message):
                throw RelayError.subscriptionClosed(url: session.url, message: message)
            default:
                continue
            }
        }
    }

    /// Reads messages up to the EOSE of `subscription`: from then on the relay forwards new events live.
    private func awaitEndOfStoredEvents(_ subscription: String, session: RelaySession) async throws {
        while true {
            switch try await session.receive() {
            case .endOfStoredEvents(subscription): return
            case .closed(subscription, let message): throw RelayError.subscriptionClosed(url: session.url, message: message)
            default: continue
            }
        }
    }

    /// The response carried by `candidate`, if it is the wallet service's answer (`filter` names the
    /// request and both keys); nil for events to ignore.
    private func answer(_ candidate: NostrEvent, filter: NostrFilter, scheme: NWCEncryption) throws -> NWCResponse? {
        guard filter.matches(candidate), (try? candidate.verify()) != nil else { return nil }  // forged or stray: not the wallet's
        let walletKey = try Hex.decode(connection.walletPublicKey)
        // The answer uses the request's scheme; a NIP-04 payload is recognizable by its `?iv=`.
        let answerScheme: NWCEncryption = candidate.content.contains("?iv=") ? .nip04 : scheme
        let plaintext: String
        let response: NWCResponse
        do {
            plaintext = try answerScheme.decrypt(candidate.content, with: connection.clientKey, from: walletKey)
        } catch {
            throw Failure.malformed("the wallet service's answer does not decrypt: \(error)")
        }
        do {
            response = try JSONDecoder().decode(NWCResponse.self, from: Data(plaintext.utf8))
        } catch {
            throw Failure.malformed("the wallet service's answer is not a NIP-47 response")
        }
        return response
    }
}

/// The encryption scheme agreed with one wallet service, read from its info event on first use.
final class NegotiatedEncryption: Sendable {
    private let chosen = LockedValue<NWCEncryption?>(nil)

    func scheme(session: RelaySession, walletPublicKey: String) async throws -> NWCEncryption {
        if let known = chosen.value { return known }
        try await session.send(.request(subscription: "nwc-info", filters: [NostrFilter(authors: [walletPublicKey], kinds: [NWCKind.info], limit: 1)]))
        var info: NostrEvent?
        loop: while true {
            switch try await session.receive() {
            case .event("nwc-info", let event) where event.pubkey == walletPublicKey && event.kind == NWCKind.info:
                if (try? event.verify()) != nil, event.createdAt >= (info?.createdAt ?? .min) { info = event }
            case .endOfStoredEvents("nwc-info"), .closed("nwc-info", _):
                break loop
            default:
                continue
            }
        }
        try await session.send(.close(subscription: "nwc-info"))
        // No info event on this relay: NIP-47's default for services that advertise nothing is NIP-04
        // (not remembered, so that an info event published later is read).
        guard let info else { return .nip04 }
        guard let scheme = NWCEncryption.negotiated(infoTags: info.tags) else {
            throw NWCExchange.Failure.notSent("the wallet service offers no encryption this client speaks (its info event lists neither nip44_v2 nor nip04)")
        }
        chosen.value = scheme
        return scheme
    }
}

extension Date {
    fileprivate func adding(_ duration: Duration) -> Date {
        addingTimeInterval(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
