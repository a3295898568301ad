import Foundation
import Hummingbird
import L402
import L402Server
import Logging

/// The operator listener (`admin_listen`, default `127.0.0.1:8403`) assembled: the admin API, the
/// dashboard and the metrics, sharing the public listener's paywall, store and tool table.
struct OperatorListener {
    let configuration: GatewayConfiguration
    let store: any PaywallStore
    let paywall: Paywall
    let tools: ToolTable
    let adminToken: AdminToken
    let logger: Logger
    let clock: @Sendable () -> Date

    /// The listener's application; `onListening` gets its bound port.
    func application(quietLogger: Logger, onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let responder = OperatorResponder(
            metrics: MetricsEndpoint(
                metrics: paywall.metrics, adminToken: adminToken, metricsToken: configuration.metricsToken.map(AdminToken.init),
                openOnLoopback: configuration.adminListensOnLoopback),
            admin: AdminAPI(token: adminToken, registry: store, ledger: store, secrets: paywall.secrets, table: tools, logger: logger),
            dashboard: DashboardEndpoint(
                adminToken: adminToken, registry: store, ledger: store,
                sessionLifetime: TimeInterval(configuration.dashboardSessionHours) * 3600, clock: clock))
        let host = configuration.adminHost
        return HTTPListener.application(
            responder, host: host, port: configuration.adminPort, maxHeaderBytes: configuration.maxHeaderBytes,
            logger: quietLogger
        ) { [logger] port in
            logger.notice("admin API, dashboard and metrics on http://\(host):\(port)")
            await onListening(port)
        }
    }
}
