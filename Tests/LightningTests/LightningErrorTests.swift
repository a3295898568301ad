import Testing
import Lightning

@Suite struct LightningErrorTests {
    @Test func messagesCarryTheDetail() {
        #expect(LightningError.unreachable("https://127.0.0.1:8080: connection refused").description
            == "Lightning node unreachable: https://127.0.0.1:8080: connection refused")
        #expect(LightningError.noRoute.description.contains("no route"))
        #expect(LightningError.insufficientBalance.description.contains("insufficient balance"))
    }
}
