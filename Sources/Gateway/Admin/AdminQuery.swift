import L402
import Foundation

/// The query string of an admin request, checked: only known parameters, each at most once, values
/// percent-decoded; typed readers whose errors name the parameter (400 `invalid_field`).
struct AdminQuery {
    private var values: [String: String] = [:]

    init(_ query: String?, allowed: Set<String>) throws(AdminFailure) {
        for pair in (query ?? "").split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0]), value = parts.count > 1 ? Self.decode(parts[1]) : ""
            guard let name, allowed.contains(name) else {
                throw .invalidField(name ?? String(parts[0]), "unknown query parameter (known: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard let value else { throw .invalidField(name, "bad percent-encoding") }
            guard values.updateValue(value, forKey: name) == nil else { throw .invalidField(name, "given more than once") }
        }
    }

    /// A non-empty text parameter.
    func string(_ name: String) throws(AdminFailure) -> String? {
        guard let value = values[name] else { return nil }
        guard !value.isEmpty else { throw .invalidField(name, "must not be empty") }
        return value
    }

    /// A whole-number parameter within `range`, or `defaultValue` when absent.
    func integer(_ name: String, in range: ClosedRange<Int>, default defaultValue: Int) throws(AdminFailure) -> Int {
        guard let text = values[name] else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw .invalidField(name, "expected a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }

    /// A time parameter: RFC 3339 (`2026-11-25T09:30:00Z`, offsets and fractions allowed) or a UTC day
    /// (`2026-11-25`). A day means its first instant, or with `dayEnds` (for an `until`) the first
    /// instant of the next day, so `until=2026-11-30` includes the 30th.
    func date(_ name: String, dayEnds: Bool = false) throws(AdminFailure) -> Date? {
        guard let text = values[name] else { return nil }
        if let day = UTCDay(text) { return dayEnds ? day.end : day.start }
        if let instant = Self.rfc3339(text) { return instant }
        throw .invalidField(name, "expected an RFC 3339 time (2026-11-25T09:30:00Z) or a UTC day (2026-11-25), got '\(text)'")
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, every field in range (Foundation's ISO 8601 parser
    /// would roll `25:00` over into the next day).
    private static func rfc3339(_ text: String) -> Date? {
        let upper = text.uppercased()
        guard upper.count <= 64, let tee = upper.firstIndex(of: "T"), let day = UTCDay(String(upper[..<tee])) else { return nil }
        var rest = upper[upper.index(after: tee)...]
        let offsetSeconds: Int
        if rest.hasSuffix("Z") {
            offsetSeconds = 0
            rest = rest.dropLast()
        } else {
            let offset = rest.suffix(6)
            guard offset.count == 6, let sign = offset.first, sign == "+" || sign == "-",
                let hours = twoDigits(offset.dropFirst().prefix(2)), offset.dropFirst(3).first == ":",
                let minutes = twoDigits(offset.suffix(2)), hours < 24, minutes < 60
            else { return nil }
            offsetSeconds = (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
            rest = rest.dropLast(6)
        }
        var fraction = 0.0
        if let dot = rest.firstIndex(of: ".") {
            let digits = rest[rest.index(after: dot)...]
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Double("0." + digits) else { return nil }
            fraction = value
            rest = rest[..<dot]
        }
        let clock = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, let hour = twoDigits(clock[0]), let minute = twoDigits(clock[1]), let second = twoDigits(clock[2]),
            hour < 24, minute < 60, second <= 60  // 60: a leap second
        else { return nil }
        let seconds = Double(hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
        return day.start.addingTimeInterval(seconds)
    }

    private static func twoDigits(_ text: Substring) -> Int? {
        guard text.count == 2, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// Percent-decoding only: a `+` stays a `+` (RFC 3986; it is not form encoding), so an unencoded
    /// offset such as `2026-11-25T10:00:00+02:00` reads as written.
    private static func decode(_ part: Substring) -> String? {
        part.removingPercentEncoding
    }
}

/// A calendar day in UTC, written `YYYY-MM-DD`.
struct UTCDay {
    /// The day's first instant.
    let start: Date

    /// nil unless `text` is exactly a valid `YYYY-MM-DD` day (no 2026-02-30).
    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = Self.calendar.date(from: components),
            Self.calendar.dateComponents([.year, .month, .day], from: date) == components
        else { return nil }
        start = date
    }

    /// The next day's first instant.
    var end: Date { Self.calendar.date(byAdding: .day, value: 1, to: start)! }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
