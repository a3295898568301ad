/// What the running gateway is, for `l402_build_info`.
public enum BuildInfo {
    /// The release this source tree is. Raise it with each release.
    public static let version = "0.1.0"

    /// `l402_build_info{version="…"} 1`: the usual way to put a build's version on a dashboard.
    static var family: ExpositionFamily {
        ExpositionFamily(
            "l402_build_info", .gauge, help: "The l402 gateway's version; always 1.", labels: [("version", version)], value: 1)
    }
}
