// An app that sets up a paywall names its prices (`Pricing`, `PriceRule`), tokens and node
// (`DevNode`, any `LightningNode`) with this one import.
@_exported import L402
@_exported import Lightning
