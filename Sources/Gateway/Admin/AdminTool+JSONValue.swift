import Foundation
import L402Admin

extension AdminTool {
    /// The same fields as a JSON value, which a partial update (PATCH) is merged into.
    var jsonValue: JSONValue {
        // Encoding strings and numbers cannot fail; the fallback only satisfies the compiler.
        guard let data = try? JSONEncoder().encode(self), let value = try? JSONValue.parse(Array(data)) else {
            return .object([:])
        }
        return value
    }
}
