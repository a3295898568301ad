import CMalloc

/// How `l402 serve` tunes glibc's allocator for a long-running server (a process-wide setting, so the
/// command applies it, never the library products).
///
/// glibc hands the free memory at the top of a thread's arena back to the kernel once it passes
/// 128 KiB (`madvise`), and the next requests' allocations fault those pages in again: page faults and
/// TLB flushes were 5–8 % of a paid call's CPU (perf, `Benchmarks/cpu.sh`). Keeping up to
/// `trimThreshold` free per arena for reuse took a paid call's CPU down by about a sixth
/// (docs/benchmarks.md). Memory is still returned beyond that, and never more is kept than was in use.
public enum MallocTuning {
    /// The free memory at an arena's top that glibc keeps instead of returning it to the kernel.
    public static let trimThreshold: Int32 = 16 << 20

    /// Whether to set the threshold: not when the operator chose one through glibc's environment
    /// (`MALLOC_TRIM_THRESHOLD_`, or `trim_threshold` in `GLIBC_TUNABLES`), which then stands.
    public static func applies(environment: [String: String]) -> Bool {
        environment["MALLOC_TRIM_THRESHOLD_"] == nil
            && !(environment["GLIBC_TUNABLES"] ?? "").contains("glibc.malloc.trim_threshold")
    }

    /// Sets glibc's trim threshold to `trimThreshold` unless `environment` chose one; true when it did.
    @discardableResult
    public static func keepFreedMemoryForReuse(environment: [String: String]) -> Bool {
        #if os(Linux)
        guard applies(environment: environment) else { return false }
        return mallopt(M_TRIM_THRESHOLD, trimThreshold) == 1
        #else
        return false
        #endif
    }
}
