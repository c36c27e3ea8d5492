// Cheap deterministic stand-ins for the injected interfaces of the consensus core, shared by the
// unit tests and the simulator. NOT cryptography: a "signature" is a 64-bit hash of key + bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "consensus/consensus.h"

namespace jejak::consensus::testing {

// FNV-1a, 64 bit.
inline uint64_t Hash64(std::string_view bytes, uint64_t seed = 1469598103934665603ULL) {
  uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

inline std::string Hex64(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[i] = kDigits[v & 0xF];
  return out;
}

inline std::string FakeSign(std::string_view key, std::string_view bytes) {
  return Hex64(Hash64(bytes, Hash64(key)));
}

inline std::string PublicKeyOf(ValidatorIndex i) { return "pk-" + std::to_string(i); }

class FakeSigner : public Signer {
 public:
  explicit FakeSigner(std::string key) : key_(std::move(key)) {}
  std::string Sign(std::string_view bytes) override { return FakeSign(key_, bytes); }

 private:
  std::string key_;
};

class FakeVerifier : public Verifier {
 public:
  bool Verify(const Validator& v, std::string_view bytes, std::string_view sig) override {
    return FakeSign(v.public_key, bytes) == sig;
  }
};

inline ValidatorSet MakeValidators(size_t n) {
  std::vector<Validator> vs;
  for (size_t i = 0; i < n; ++i) {
    vs.push_back(Validator{"node-" + std::to_string(i), PublicKeyOf(static_cast<ValidatorIndex>(i))});
  }
  return ValidatorSet(std::move(vs));
}

// A value is valid at height h iff its bytes start with "h=<h>;", do not contain "INVALID", and
// its id is the hash of its bytes.
inline Value MakeValue(uint64_t height, std::string_view tag) {
  Value v;
  v.bytes = "h=" + std::to_string(height) + ";" + std::string(tag);
  v.id = Hex64(Hash64(v.bytes));
  return v;
}

inline bool IsValidValue(uint64_t height, const Value& v) {
  const std::string prefix = "h=" + std::to_string(height) + ";";
  return v.bytes.rfind(prefix, 0) == 0 && v.bytes.find("INVALID") == std::string::npos &&
         v.id == Hex64(Hash64(v.bytes));
}

class TestApp : public Application {
 public:
  explicit TestApp(std::string name) : name_(std::move(name)) {}
  std::optional<Value> GetValueToPropose(uint64_t height) override {
    ++proposed_;
    return MakeValue(height, name_ + "#" + std::to_string(proposed_));
  }
  bool ValidateValue(uint64_t height, const Value& value) override {
    ++validations_;
    return IsValidValue(height, value);
  }
  int validations() const { return validations_; }

 private:
  std::string name_;
  int proposed_ = 0;
  int validations_ = 0;
};

inline Config MakeConfig(ValidatorIndex self) {
  Config c;
  c.chain_id = "test-chain";
  c.self = self;
  return c;
}

}  // namespace jejak::consensus::testing
