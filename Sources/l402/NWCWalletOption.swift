import ArgumentParser
import Foundation
import LightningBackends

/// `--wallet nwc=<connection string>`, or `--wallet nwc` with the string in `$NWC_URI` (which keeps
/// the secret out of the shell history and the process list).
enum NWCWalletOption {
    /// The connection string: `target` (what follows `nwc=`), else `$NWC_URI`.
    static func uri(target: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let target, !target.isEmpty { return target }
        guard let fromEnvironment = environment["NWC_URI"], !fromEnvironment.isEmpty else {
            throw ValidationError("--wallet nwc needs nwc=URI or NWC_URI (nostr+walletconnect://…)")
        }
        return fromEnvironment
    }

    /// The wallet of connection string `uri`, waiting up to `paymentTimeoutSeconds` for a payment's answer.
    /// Errors never contain the secret.
    static func make(uri: String, paymentTimeoutSeconds: Int = 60) throws -> NWCWallet {
        do {
            return NWCWallet(connection: try NWCConnectionURI(uri), timeout: .seconds(paymentTimeoutSeconds))
        } catch {
            throw ValidationError("--wallet nwc: \(error)")
        }
    }
}
