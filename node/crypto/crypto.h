// jejak_crypto: everything the node needs from cryptography, on OpenSSL 3 (EVP API only).
//   hex.h      ToHex / FromHex
//   sha256.h   Sha256, Sha256Parts, Sha256Hasher
//   ed25519.h  PrivateKey (generate, seed, PEM), Verify, public key PEM, KeyId
//   merkle.h   RFC 6962 leaf/node hashes, roots, inclusion proofs
// Bytes are std::string holding binary data throughout. Nothing here throws.
#pragma once

#include "node/crypto/ed25519.h"
#include "node/crypto/hex.h"
#include "node/crypto/merkle.h"
#include "node/crypto/sha256.h"
