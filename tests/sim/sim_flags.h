// What the simulators' command lines share: numbers and the range of seeds to run.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>

namespace jejak::sim {

inline bool ParseU64(const char* text, uint64_t* out) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0') return false;
  *out = v;
  return true;
}

struct SeedRange {
  uint64_t first = 1;
  uint64_t count = 0;
};

// Takes --seeds N, --first-seed S or --seed S (one seed: a replay) at argv[*i], moving *i past
// its value. Returns false if argv[*i] is none of them; sets *bad if its value is missing or not
// a number.
inline bool TakeSeedFlag(int argc, char** argv, int* i, SeedRange* range, bool* bad) {
  const std::string arg = argv[*i];
  if (arg != "--seeds" && arg != "--first-seed" && arg != "--seed") return false;
  uint64_t value = 0;
  if (*i + 1 >= argc || !ParseU64(argv[++*i], &value)) {
    *bad = true;
    return true;
  }
  if (arg == "--seeds") {
    range->count = value;
  } else {
    range->first = value;
    if (arg == "--seed") range->count = 1;
  }
  return true;
}

}  // namespace jejak::sim
