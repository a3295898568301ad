// The parts of the system libsecp256k1 (Debian libsecp256k1-dev) that Bolt11 uses:
// the core API and recoverable ECDSA signatures.
#include <secp256k1.h>
#include <secp256k1_recovery.h>
