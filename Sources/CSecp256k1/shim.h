// The parts of the system libsecp256k1 (Debian libsecp256k1-dev) that swift-l402 uses:
// the core API and recoverable ECDSA signatures (Bolt11); ECDH, x-only keys and BIP-340
// Schnorr signatures (Nostr Wallet Connect in LightningBackends).
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <secp256k1_ecdh.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
