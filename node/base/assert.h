// JEJAK_ASSERT(condition, message): an invariant of our own code. When it does not hold the
// process stops at once with the condition, the message, file and line: in every build type,
// NDEBUG or not (TigerBeetle, Bitcoin Core). Not for bad input or a peer's fault: those are
// Status values (status.h). C++ standard library only, so the consensus core may use it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace jejak {

[[noreturn]] inline void InvariantBroken(const char* condition, std::string_view message,
                                         const char* file, int line) {
  std::fprintf(stderr, "jejak: invariant broken at %s:%d: %s: %.*s\n", file, line, condition,
               static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace jejak

// `message` is evaluated only when the condition fails.
#define JEJAK_ASSERT(condition, message)                                      \
  do {                                                                        \
    if (!(condition)) ::jejak::InvariantBroken(#condition, (message), __FILE__, __LINE__); \
  } while (false)
