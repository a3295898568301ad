/// The HTML document around every dashboard page: doctype, title and the one inline stylesheet.
enum DashboardLayout {
    /// A complete document with `title` and `body`.
    static func document(title: String, body: HTML) -> HTML {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="same-origin">
        <title>\(title)</title>
        <style>\(stylesheet)</style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    /// A short page that only says something (e.g. the database is unavailable).
    static func message(title: String, text: String) -> HTML {
        document(title: title, body: "<main class=\"narrow\"><h1>\(title)</h1><p>\(text)</p></main>")
    }

    private static let stylesheet = HTML(trusted: """
        :root { color-scheme: light; --ink: #1d2430; --muted: #5b6575; --line: #d8dde5; --accent: #d97706; --calls: #2563eb; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f6f7f9; }
        main { max-width: 1100px; margin: 0 auto; padding: 24px; }
        main.narrow { max-width: 420px; padding-top: 10vh; }
        header { display: flex; align-items: baseline; justify-content: space-between; gap: 16px; flex-wrap: wrap; }
        h1 { font-size: 22px; margin: 0 0 4px; }
        h2 { font-size: 17px; margin: 28px 0 10px; }
        .muted { color: var(--muted); }
        section.summary { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 16px; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 160px; }
        .card .figure { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
        table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
        th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #eef1f5; font-weight: 600; font-size: 13px; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        code { font-size: 13px; }
        .disabled { color: var(--muted); }
        .outcome-upstream_error { color: #b91c1c; }
        figure.chart { margin: 0 0 16px; overflow-x: auto; }
        figcaption { font-weight: 600; margin-bottom: 4px; }
        svg.chart { background: #fff; border: 1px solid var(--line); border-radius: 8px; }
        svg.chart .bar { fill: var(--accent); }
        svg.chart.calls .bar { fill: var(--calls); }
        svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
        svg.chart text { font-size: 10px; fill: var(--muted); }
        svg.chart text.value { fill: var(--ink); }
        form.login { display: grid; gap: 10px; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 20px; }
        input[type=password] { font: inherit; padding: 8px; border: 1px solid var(--line); border-radius: 6px; }
        button { font: inherit; padding: 7px 14px; border-radius: 6px; border: 1px solid var(--ink); background: var(--ink); color: #fff; cursor: pointer; }
        form.logout button { background: #fff; color: var(--ink); }
        .error { color: #b91c1c; font-weight: 600; }
        """)
}
