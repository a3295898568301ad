/// An inline SVG bar chart of one daily figure (calls or sats): one bar per day with its value above
/// it, the day below every fifth bar, and a tooltip per bar. Needs no script and no external asset.
struct DashboardChart {
    /// One bar.
    struct Bar: Equatable {
        /// `YYYY-MM-DD`.
        var day: String
        var value: UInt64
    }

    /// Heading above the chart, e.g. "Calls per day".
    var title: String
    /// What a value counts, for tooltips and the CSS class: "calls" or "sats".
    var unit: String
    /// Oldest first.
    var bars: [Bar]

    // Geometry, in SVG user units.
    private static let barWidth = 18
    private static let barStep = 24
    private static let plotHeight = 150
    private static let left = 56
    private static let top = 18
    private static let bottom = 30
    private static let labelEvery = 5

    /// The chart as an `<svg>` element.
    func render() -> HTML {
        let width = Self.left + bars.count * Self.barStep + 8
        let height = Self.top + Self.plotHeight + Self.bottom
        let baseline = Self.top + Self.plotHeight
        let peak = bars.map(\.value).max() ?? 0
        let rendered = bars.enumerated().map { index, bar in
            self.bar(bar, index: index, peak: peak, baseline: baseline)
        }
        return """
            <figure class="chart">
            <figcaption>\(title)</figcaption>
            <svg class="chart \(unit)" role="img" aria-label="\(title)" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" xmlns="http://www.w3.org/2000/svg">
            <line class="axis" x1="\(Self.left - 4)" y1="\(baseline)" x2="\(width - 4)" y2="\(baseline)"/>
            <text class="scale" x="\(Self.left - 8)" y="\(Self.top + 4)" text-anchor="end">\(peak)</text>
            <text class="scale" x="\(Self.left - 8)" y="\(baseline)" text-anchor="end">0</text>
            \(rendered)</svg>
            </figure>

            """
    }

    /// One bar: a rect with a tooltip, its value above (when not zero) and, every fifth bar counting
    /// back from the last (today), its day below.
    private func bar(_ bar: Bar, index: Int, peak: UInt64, baseline: Int) -> HTML {
        let height = Self.barHeight(bar.value, peak: peak)
        let x = Self.left + index * Self.barStep
        let center = x + Self.barWidth / 2
        let valueLabel: HTML =
            bar.value == 0 ? "" : "<text class=\"value\" x=\"\(center)\" y=\"\(baseline - height - 3)\" text-anchor=\"middle\">\(bar.value)</text>"
        let dayLabel: HTML =
            (bars.count - 1 - index) % Self.labelEvery == 0
            ? "<text class=\"day\" x=\"\(center)\" y=\"\(baseline + 16)\" text-anchor=\"middle\">\(String(bar.day.suffix(5)))</text>" : ""
        return """
            <rect class="bar" data-day="\(bar.day)" data-value="\(bar.value)" x="\(x)" y="\(baseline - height)" width="\(Self.barWidth)" height="\(height)"><title>\(bar.day): \(bar.value) \(unit)</title></rect>\(valueLabel)\(dayLabel)

            """
    }

    /// Bar height in units: proportional to `value`, at least 1 when the value is not zero (so it shows).
    static func barHeight(_ value: UInt64, peak: UInt64) -> Int {
        guard peak > 0, value > 0 else { return 0 }
        let scaled = Double(value) / Double(peak) * Double(plotHeight)
        return max(1, Int(scaled.rounded()))
    }
}
