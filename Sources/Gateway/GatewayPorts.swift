/// The ports the gateway's two listeners bound (useful when configured as 0).
public struct GatewayPorts: Sendable, Equatable {
    /// The public listener: tools, `/_l402/health`, the dev endpoints.
    public var publicPort: Int
    /// The operator listener: admin API, dashboard, metrics.
    public var adminPort: Int

    public init(publicPort: Int, adminPort: Int) {
        self.publicPort = publicPort
        self.adminPort = adminPort
    }
}

/// Collects the two listeners' ports as each starts accepting, and reports them once both do.
actor ListenerReadiness {
    private var publicPort: Int?
    private var adminPort: Int?
    private let onListening: @Sendable (GatewayPorts) async -> Void

    init(_ onListening: @escaping @Sendable (GatewayPorts) async -> Void) {
        self.onListening = onListening
    }

    func publicListening(on port: Int) async {
        publicPort = port
        await reportWhenBoth()
    }

    func adminListening(on port: Int) async {
        adminPort = port
        await reportWhenBoth()
    }

    /// The listeners that have not started, named as in the configuration with their address, e.g.
    /// `admin_listen 127.0.0.1:8403`: to say which one a bind error is about.
    func notListening(_ configuration: GatewayConfiguration) -> [String] {
        (publicPort == nil ? ["listen \(configuration.host):\(configuration.port)"] : [])
            + (adminPort == nil ? ["admin_listen \(configuration.adminHost):\(configuration.adminPort)"] : [])
    }

    private func reportWhenBoth() async {
        guard let publicPort, let adminPort else { return }
        await onListening(GatewayPorts(publicPort: publicPort, adminPort: adminPort))
    }
}

/// A listener could not start (its address is taken, or not this host's): which one, and why.
public struct ListenerStartFailure: Error, CustomStringConvertible {
    /// The listeners that did not start, e.g. `admin_listen 127.0.0.1:8403`.
    public var listeners: [String]
    public var underlying: any Error

    public var description: String {
        "could not start \(listeners.joined(separator: " and ")): \(underlying)"
    }
}
