/// Which authentication schemes `WWW-Authenticate` values offer, whatever their parameters.
public enum AuthSchemes {
    /// The schemes of every challenge in `headerValues`, lower-cased, in order (values that do not
    /// scan, or are too long, contribute nothing).
    public static func offered(in headerValues: [String]) -> [String] {
        headerValues.filter { $0.utf8.count <= Challenge.maximumHeaderLength }.flatMap { value in
            ((try? AuthChallengeScanner.challenges(in: value)) ?? []).map { $0.scheme.lowercased() }
        }
    }
}
