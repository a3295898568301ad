import Hummingbird
import L402Server

extension RouterMethods {
    /// Adds the dev node's payment endpoints, `POST /_l402/dev/pay` and `GET /_l402/dev/payments/{hash}`,
    /// the same as the gateway's: `l402 fetch --wallet dev=<app URL>` pays through them. Only with
    /// the dev node: anyone may settle any invoice there.
    @discardableResult
    public func addL402DevRoutes(_ payments: DevPayments) -> Self {
        post(RouterPath(DevPayments.payPath)) { request, _ in await payments.pay(request) }
        get(RouterPath(DevPayments.paymentsPathPrefix + "{hash}")) { _, context in
            Response(await payments.lookup(paymentHashHex: context.parameters.get("hash") ?? ""))
        }
        return self
    }
}

extension DevPayments {
    /// `POST /_l402/dev/pay` read from a Hummingbird request (body up to `maximumBodyBytes`).
    public func pay(_ request: Request) async -> Response {
        var request = request
        let body = try? await request.collectBody(upTo: Self.maximumBodyBytes)
        return Response(await pay(body: body.map { Array(buffer: $0) }))
    }
}
