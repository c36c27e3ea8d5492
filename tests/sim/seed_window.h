// The rotating seed windows of the simulators' CI tests: a new window every day (UTC), so that CI
// keeps exploring seeds besides the fixed ones. JEJAK_SIM_DAY (days since 1970-01-01) replays
// another day's window.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <string>

namespace jejak::sim {

inline uint64_t SeedWindowDay() {
  if (const char* day = std::getenv("JEJAK_SIM_DAY"); day != nullptr && *day != '\0') {
    return std::strtoull(day, nullptr, 10);
  }
  using std::chrono::days;
  return static_cast<uint64_t>(
      std::chrono::duration_cast<days>(std::chrono::system_clock::now().time_since_epoch()).count());
}

// "2026-12-06" for the day SeedWindowDay() names.
inline std::string SeedWindowDate(uint64_t day) {
  const std::time_t at = static_cast<std::time_t>(day) * 86400;
  char date[16] = "?";
  if (const std::tm* tm = std::gmtime(&at)) std::strftime(date, sizeof date, "%Y-%m-%d", tm);
  return date;
}

}  // namespace jejak::sim
