// A client app names its wallet (`Wallet`, `LightningNodeWallet`, `PastPayment`) with this one import.
@_exported import Lightning
