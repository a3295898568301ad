import Gateway
import Testing

@Suite struct MallocTuningTests {
    @Test func setsTheThresholdUnlessTheOperatorChoseOne() {
        #expect(MallocTuning.applies(environment: [:]))
        #expect(MallocTuning.applies(environment: ["GLIBC_TUNABLES": "glibc.malloc.arena_max=2"]))
        #expect(!MallocTuning.applies(environment: ["MALLOC_TRIM_THRESHOLD_": "131072"]))
        #expect(!MallocTuning.applies(environment: ["GLIBC_TUNABLES": "glibc.malloc.arena_max=2:glibc.malloc.trim_threshold=0"]))
        #expect(!MallocTuning.keepFreedMemoryForReuse(environment: ["MALLOC_TRIM_THRESHOLD_": "131072"]))
    }

    #if os(Linux)
    /// glibc accepts the setting (mallopt answers 1 on success, 0 on a parameter it refuses).
    @Test func glibcAcceptsTheThreshold() {
        #expect(MallocTuning.keepFreedMemoryForReuse(environment: [:]))
    }
    #endif
}
