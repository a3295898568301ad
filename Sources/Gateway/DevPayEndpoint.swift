import Hummingbird
import L402Hummingbird
import L402Server

/// `POST /_l402/dev/pay` and `GET /_l402/dev/payments/<hash>` (only with the dev node): the paywall
/// core's `DevPayments`, read from and written to Hummingbird.
struct DevPayEndpoint {
    let payments: DevPayments

    func pay(_ request: Request) async -> Response {
        var request = request
        let body = try? await request.collectBody(upTo: DevPayments.maximumBodyBytes)
        return Response(await payments.pay(body: body.map { Array(buffer: $0) }))
    }

    func lookup(paymentHashHex: String) async -> Response {
        Response(await payments.lookup(paymentHashHex: paymentHashHex))
    }
}
