import Hummingbird

/// What both listeners share: reading the request target, and the answers for `/_l402/health` and
/// for a `/_l402/` path the listener does not serve.
enum OwnEndpoints {
    /// The first path segment of the gateway's own endpoints.
    static let slug = "_l402"

    /// A request target, or the 400 that refuses it.
    enum Parsed {
        case routed(RequestTarget)
        case refused(Response)
    }

    static func target(of request: Request) -> Parsed {
        do throws(RequestTarget.Failure) {
            return .routed(try RequestTarget(request.head.path ?? ""))
        } catch {
            switch error {
            case .notAPath:
                return .refused(JSONResponse.error(status: .badRequest, code: "bad_target", message: "the request target must be a path"))
            case .badPath(let failure):
                return .refused(JSONResponse.error(status: .badRequest, code: "bad_path", message: failure.description))
            }
        }
    }

    /// `GET|HEAD /_l402/health`: 200 while the listener accepts requests.
    static func health() -> Response {
        JSONResponse.make(status: .ok, ["status": "ok"])
    }

    /// 404 `not_found` for `/_l402<path>`.
    static func notFound(_ request: Request, path: String) -> Response {
        JSONResponse.error(status: .notFound, code: "not_found", message: "no endpoint \(request.method) /_l402\(path)")
    }
}
