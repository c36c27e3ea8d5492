// The consensus core's Signer and Verifier over Ed25519 keys: what a node signs its votes with
// and checks others' with. The key must outlive the signer.
#pragma once

#include <string>
#include <string_view>

#include "consensus/interfaces.h"
#include "node/crypto/ed25519.h"

namespace jejak::ledger {

class KeySigner final : public consensus::Signer {
 public:
  explicit KeySigner(const crypto::PrivateKey& key) : key_(key) {}
  std::string Sign(std::string_view bytes) override { return key_.Sign(bytes); }

 private:
  const crypto::PrivateKey& key_;
};

class Ed25519Verifier final : public consensus::Verifier {
 public:
  bool Verify(const consensus::Validator& validator, std::string_view bytes, std::string_view signature) override {
    return crypto::Verify(validator.public_key, bytes, signature);
  }
};

}  // namespace jejak::ledger
