import Foundation
import TestSupport

/// Headless Chromium driven by `Peers/dashboard_browser.py` (Selenium + chromedriver): what a real
/// browser saw on the dashboard. Needs Debian's `chromium`, `chromium-driver` and `python3-selenium`
/// (`make test-deps`).
enum DashboardBrowser {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Peers/dashboard_browser.py").path
    /// Debian's interpreter: `python3-selenium` installs for it, not for other Pythons on PATH.
    static let python = "/usr/bin/python3"

    /// Whether a missing browser must fail the test (`make test` sets `L402_REQUIRE_PEERS=1`).
    static var required: Bool { ProcessInfo.processInfo.environment["L402_REQUIRE_PEERS"] == "1" }

    /// What is missing to run the browser test, or nil when everything is installed.
    static var missingPeer: Subprocess.PeerMissing? {
        for program in ["chromium", "chromedriver"] {
            do { _ = try Subprocess.run(program, ["--version"]) } catch let missing as Subprocess.PeerMissing { return missing } catch {
                return Subprocess.PeerMissing(program: program)
            }
        }
        guard FileManager.default.isExecutableFile(atPath: python),
            (try? Subprocess.run(python, ["-c", "import selenium"]))?.status == 0
        else { return Subprocess.PeerMissing(program: "python3-selenium (for \(python))") }
        return nil
    }

    /// Runs the browser against the gateway at `base`; the screenshot and DOM land in `outputDirectory`.
    static func visit(base: String, adminToken: String, outputDirectory: String) async throws -> Report {
        let result = try await Subprocess.runInBackground(python, [script, base, adminToken, outputDirectory])
        guard result.status == 0 else {
            throw Subprocess.Failure(description: "the browser driver exited \(result.status): \(result.stderr)")
        }
        do {
            return try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        } catch {
            throw Subprocess.Failure(description: "the browser driver printed no report (\(error)): \(result.stdout)")
        }
    }

    /// The driver's JSON report (see the script's docstring).
    struct Report: Decodable {
        var before_login: LoginForm
        var wrong_token: LoginForm
        var url_after_login: String
        var cookies: [Cookie]
        var script_visible_cookie: String
        var dashboard: Dashboard
        var after_logout: LoginForm
        var cookies_after_logout: [Cookie]
        /// Seconds since the driver started, per step (for diagnosis only; nothing is timed).
        var seconds: [String: Double]

        struct LoginForm: Decodable {
            var present: Bool
            var has_token_field: Bool
            var error: String?
        }

        struct Cookie: Decodable {
            var name: String
            var value: String
            var path: String?
            var httpOnly: Bool?
            var sameSite: String?
        }

        struct Dashboard: Decodable {
            var title: String
            var summary: [String: String]
            var tools: [ToolRow]
            var schemes: [SchemeRow]
            var charts: [Chart]
            var invocations: [[String]]
            var scripts: Int
        }

        struct ToolRow: Decodable {
            var slug: String
            var cells: [String]
        }

        struct SchemeRow: Decodable {
            var scheme: String
            var cells: [String]
        }

        struct Chart: Decodable {
            var `class`: String
            var bars: [Bar]
            var rendered_width: Double
            var rendered_height: Double
        }

        struct Bar: Decodable {
            var day: String
            var value: UInt64
            var height: Double
        }
    }
}
