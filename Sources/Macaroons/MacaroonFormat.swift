/// The serializations a macaroon can travel in.
public enum MacaroonFormat: String, Sendable, CaseIterable {
    /// libmacaroons' original packet format (4 hex digit length, `key value\n`).
    case v1
    /// The compact binary format shared by libmacaroons, go-macaroon and pymacaroons (the default).
    case v2
    /// The JSON rendering of version 2 (go-macaroon / pymacaroons field names `l`, `i`, `c`, `s64`).
    case v2j
}
