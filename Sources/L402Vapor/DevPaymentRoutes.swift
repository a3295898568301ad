import L402Server
import Vapor

extension RoutesBuilder {
    /// Adds the dev node's payment endpoints, `POST /_l402/dev/pay` and `GET /_l402/dev/payments/:hash`,
    /// the same as the gateway's: `l402 fetch --wallet dev=<app URL>` pays through them. Only with
    /// the dev node: anyone may settle any invoice there.
    public func addL402DevRoutes(_ payments: DevPayments) {
        on(.POST, "_l402", "dev", "pay", body: .collect(maxSize: ByteCount(value: DevPayments.maximumBodyBytes))) { request in
            let body = request.body.data.map { Array($0.readableBytesView) }
            return Response(await payments.pay(body: body))
        }
        get("_l402", "dev", "payments", ":hash") { request in
            Response(await payments.lookup(paymentHashHex: request.parameters.get("hash") ?? ""))
        }
    }
}
