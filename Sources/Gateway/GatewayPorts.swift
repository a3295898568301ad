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

    private func reportWhenBoth() async {
        guard let publicPort, let adminPort else { return }
        await onListening(GatewayPorts(publicPort: publicPort, adminPort: adminPort))
    }
}
