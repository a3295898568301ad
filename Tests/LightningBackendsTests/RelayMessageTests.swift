import Foundation
import LightningBackends
import Testing

/// NIP-01 messages: what we send relays, and what we read from them (garbage refused precisely).
@Suite struct RelayMessageTests {
    @Test func relayMessagesOfEveryKindParse() throws {
        let event = NostrEvent(kind: 23195, tags: [["e", "ab"]], content: "x", createdAt: 1, key: .random())
        #expect(try RelayMessage(json: #"["EVENT","s1",\#(event.json)]"#) == .event(subscription: "s1", event))
        #expect(try RelayMessage(json: #"["OK","ab",false,"invalid: Bad signature"]"#) == .ok(eventID: "ab", accepted: false, message: "invalid: Bad signature"))
        #expect(try RelayMessage(json: #"["OK","ab",true,""]"#) == .ok(eventID: "ab", accepted: true, message: ""))
        #expect(try RelayMessage(json: #"["EOSE","s1"]"#) == .endOfStoredEvents(subscription: "s1"))
        #expect(try RelayMessage(json: #"["CLOSED","s1","error: shutting down"]"#) == .closed(subscription: "s1", message: "error: shutting down"))
        #expect(try RelayMessage(json: #"["NOTICE","hello"]"#) == .notice("hello"))
    }

    @Test func garbageIsRefused() {
        let garbage = [
            "", "{}", "[]", "[1]", "nonsense", #"["EVENT","s1",{}]"#, #"["EVENT","s1"]"#, #"["OK","ab","yes","m"]"#,
            #"["OK","ab",true]"#, #"["EOSE"]"#, #"["EOSE",5]"#, #"["CLOSED","s1"]"#, #"["FOO","bar"]"#,
            #"["EVENT","s1",{"id":1,"pubkey":"a","created_at":1,"kind":1,"tags":[],"content":"","sig":""}]"#,
        ]
        for text in garbage {
            #expect(throws: NostrError.self, "\(text)") { try RelayMessage(json: text) }
        }
    }

    @Test func clientMessagesAreTheArraysNIP01Describes() throws {
        let filter = NostrFilter(authors: ["aa"], kinds: [23195], tags: ["e": ["bb"], "p": ["cc"]], since: 5, limit: 1)
        let request = try JSONSerialization.jsonObject(with: Data(ClientMessage.request(subscription: "r", filters: [filter]).json.utf8)) as! [Any]
        #expect(request.count == 3 && request[0] as? String == "REQ" && request[1] as? String == "r")
        let object = request[2] as! [String: Any]
        #expect(object["authors"] as? [String] == ["aa"])
        #expect(object["kinds"] as? [Int] == [23195])
        #expect(object["#e"] as? [String] == ["bb"])
        #expect(object["#p"] as? [String] == ["cc"])
        #expect(object["since"] as? Int == 5 && object["limit"] as? Int == 1)
        #expect(ClientMessage.close(subscription: "r\"").json == #"["CLOSE","r\""]"#)
        let event = NostrEvent(kind: 1, tags: [], content: "a\nb", createdAt: 1, key: .random())
        let published = try JSONSerialization.jsonObject(with: Data(ClientMessage.event(event).json.utf8)) as! [Any]
        #expect(published[0] as? String == "EVENT")
        let decoded = try JSONDecoder().decode(NostrEvent.self, from: JSONSerialization.data(withJSONObject: published[1]))
        #expect(decoded == event)
    }

    @Test func filtersMatchAsRelaysDo() {
        let key = NostrSecretKey.random()
        let event = NostrEvent(kind: 23195, tags: [["e", "req1"], ["p", "client"]], content: "", createdAt: 100, key: key)
        #expect(NostrFilter(authors: [key.publicKeyHex], kinds: [23195], tags: ["e": ["req1"]]).matches(event))
        #expect(!NostrFilter(authors: [NostrSecretKey.random().publicKeyHex]).matches(event))
        #expect(!NostrFilter(kinds: [23194]).matches(event))
        #expect(!NostrFilter(tags: ["e": ["req2"]]).matches(event))
        #expect(!NostrFilter(since: 101).matches(event))
    }
}
