// Shared by the libFuzzer targets of tests/fuzz.
//
// Seeds built in code: a target whose inputs are easier to make with the project's own encoders
// (protobuf messages, a genesis, a genuine proof bundle) writes them from LLVMFuzzerInitialize
// into $JEJAK_FUZZ_SEED_DIR when that is set (scripts/fuzz sets it to the target's seed corpus),
// so no generated file is committed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

namespace jejak::fuzz {

inline void WriteSeed(const std::string& name, std::string_view bytes) {
  const char* dir = std::getenv("JEJAK_FUZZ_SEED_DIR");
  if (dir == nullptr || *dir == '\0') return;
  std::ofstream out(std::string(dir) + "/" + name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A property of the code under test does not hold: report it as a finding (libFuzzer saves the
// input that got here).
[[noreturn]] inline void Fail(const std::string& what) {
  std::fprintf(stderr, "FUZZ PROPERTY VIOLATED: %s\n", what.c_str());
  std::abort();
}

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace jejak::fuzz
