import Foundation
import L402

extension Invocation {
    /// The stable key of a row recorded before invocations carried one (all-zero but for its id).
    static func legacyKey(id: Int64) -> UUID {
        let b = withUnsafeBytes(of: id.bigEndian) { Array($0) }
        return UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]))
    }
}
