import Foundation
import LightningBackends

/// `--wallet nwc=<connection string>`, or `--wallet nwc` with the string in `$NWC_URI` (which keeps
/// the secret out of the shell history and the process list).
enum NWCWalletOption {
    /// The NWC wallet `spec` asks for; nil when `spec` is not an `nwc` wallet.
    static func wallet(_ spec: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> NWCWallet? {
        let uri: String
        if spec == "nwc" {
            guard let fromEnvironment = environment["NWC_URI"], !fromEnvironment.isEmpty else {
                throw NWCOptionError("--wallet nwc needs NWC_URI (nostr+walletconnect://…) in the environment, or --wallet nwc=<uri>")
            }
            uri = fromEnvironment
        } else if spec.hasPrefix("nwc=") {
            uri = String(spec.dropFirst(4))
        } else {
            return nil
        }
        var timeout = Duration.seconds(60)
        if let text = environment["NWC_TIMEOUT_SECONDS"] {
            guard let seconds = Int(text), seconds > 0 else { throw NWCOptionError("NWC_TIMEOUT_SECONDS must be a whole number of seconds above 0, got \(text.prefix(20))") }
            timeout = .seconds(seconds)
        }
        do {
            return NWCWallet(connection: try NWCConnectionURI(uri), timeout: timeout)
        } catch {
            throw NWCOptionError("--wallet nwc: \(error)")  // the error never contains the secret
        }
    }
}

/// A refused `--wallet nwc` value, reported like ArgumentParser's validation errors.
struct NWCOptionError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
