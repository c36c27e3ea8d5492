// What the caller supplies to the core: the application (values to propose, validity) and the
// cryptography (signing with our key, verifying others'). All are called synchronously.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "types.h"

namespace jejak::consensus {

class Application {
 public:
  virtual ~Application() = default;
  // A value to propose at `height` (id = its hash). nullopt: nothing to propose; others time out.
  virtual std::optional<Value> GetValueToPropose(uint64_t height) = 0;
  // valid(v) of Algorithm 1: the id matches the bytes and the content is valid against the
  // state after height-1. Must be deterministic for a given (height, value).
  virtual bool ValidateValue(uint64_t height, const Value& value) = 0;
};

class Signer {
 public:
  virtual ~Signer() = default;
  virtual std::string Sign(std::string_view bytes) = 0;
};

class Verifier {
 public:
  virtual ~Verifier() = default;
  virtual bool Verify(const Validator& validator, std::string_view bytes,
                      std::string_view signature) = 0;
};

}  // namespace jejak::consensus
