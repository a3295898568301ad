import Lightning
import LightningBackends

extension LightningBackend {
    /// The node of a real backend, configured and ready; nil for `.dev`, whose node the gateway
    /// builds itself on its own database. Throws `LightningError.configuration` for unusable settings.
    func makeRemoteNode() throws(LightningError) -> (any LightningNode)? {
        switch self {
        case .dev:
            return nil
        case .lnd(let restURL, let macaroon, let tlsCertificatePath):
            return try LNDNode(configuration: LNDConfiguration(restURL: restURL, macaroon: macaroon, tlsCertificatePath: tlsCertificatePath))
        case .phoenixd(let url, let password):
            return try PhoenixdNode(configuration: PhoenixdConfiguration(url: url, password: password))
        case .cln(let restURL, let rune, let tlsCertificatePath):
            return try CLNNode(configuration: CLNConfiguration(restURL: restURL, rune: rune, tlsCertificatePath: tlsCertificatePath))
        case .lnbits(let url, let invoiceKey):
            return try LNbitsNode(configuration: LNbitsConfiguration(url: url, apiKey: invoiceKey))
        }
    }
}
