import Foundation

/// The standard `process_*` series of Prometheus clients, read from `/proc` at scrape time (Linux only;
/// elsewhere the metrics page simply has none): CPU time, resident memory, open file descriptors and
/// the start time.
struct ProcessMetrics: Equatable {
    /// User plus system CPU time, in seconds.
    var cpuSeconds: Double
    /// Resident set size, in bytes.
    var residentMemoryBytes: Double
    /// Open file descriptors.
    var openFileDescriptors: Int
    /// When the process started, in seconds since the Unix epoch.
    var startTimeSeconds: Double

    /// The figures of this process, or nil when `/proc` cannot be read.
    static func current(procRoot: String = "/proc") -> ProcessMetrics? {
        guard let stat = read(procRoot + "/self/stat"), let systemStat = read(procRoot + "/stat"),
            let fds = try? FileManager.default.contentsOfDirectory(atPath: procRoot + "/self/fd")
        else { return nil }
        return parse(stat: stat, systemStat: systemStat, openFileDescriptors: fds.count,
                     ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))), pageSize: Double(sysconf(Int32(_SC_PAGESIZE))))
    }

    /// The figures from the text of `/proc/<pid>/stat` and `/proc/stat` (see proc(5)).
    static func parse(stat: String, systemStat: String, openFileDescriptors: Int, ticksPerSecond: Double, pageSize: Double) -> ProcessMetrics? {
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        guard let close = stat.lastIndex(of: ")"), ticksPerSecond > 0 else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state): field n is fields[n - 3].
        func field(_ number: Int) -> Double? { fields.count > number - 3 ? Double(fields[number - 3]) : nil }
        guard let userTicks = field(14), let systemTicks = field(15), let startTicks = field(22), let residentPages = field(24),
            let bootLine = systemStat.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
            let bootTime = Double(bootLine.dropFirst("btime ".count).trimmingCharacters(in: .whitespaces))
        else { return nil }
        return ProcessMetrics(
            cpuSeconds: (userTicks + systemTicks) / ticksPerSecond, residentMemoryBytes: residentPages * pageSize,
            openFileDescriptors: openFileDescriptors, startTimeSeconds: bootTime + startTicks / ticksPerSecond)
    }

    /// The families in the Prometheus client libraries' names.
    var families: [ExpositionFamily] {
        [
            ExpositionFamily("process_cpu_seconds_total", .counter, help: "Total user and system CPU time spent in seconds.", value: cpuSeconds),
            ExpositionFamily("process_resident_memory_bytes", .gauge, help: "Resident memory size in bytes.", value: residentMemoryBytes),
            ExpositionFamily("process_open_fds", .gauge, help: "Number of open file descriptors.", value: Double(openFileDescriptors)),
            ExpositionFamily(
                "process_start_time_seconds", .gauge, help: "Start time of the process since unix epoch in seconds.", value: startTimeSeconds),
        ]
    }

    /// A `/proc` file's text (their size reads as 0, so read to the end rather than by size).
    private static func read(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return (try? handle.readToEnd()).flatMap { String(data: $0, encoding: .utf8) }
    }
}
