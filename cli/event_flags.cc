#include "cli/event_flags.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "node/epcis/rfc3339.h"

namespace jejak::cli {

ledger::EventClock SystemClock() {
  ledger::EventClock clock;
  clock.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  std::time_t secs = static_cast<std::time_t>(clock.now_ms / 1000);
  std::tm local{};
  localtime_r(&secs, &local);
  long offset_min = local.tm_gmtoff / 60;
  char sign = offset_min < 0 ? '-' : '+';
  offset_min = std::min(std::labs(offset_min), 14L * 60);  // EPCIS allows -14:00..+14:00
  char buf[64];
  std::snprintf(buf, sizeof buf, "%c%02ld:%02ld", sign, offset_min / 60, offset_min % 60);
  clock.time_zone_offset = buf;
  return clock;
}

Result<ledger::LotAmount> ParseLotQuantity(std::string_view text, std::string_view flag) {
  size_t eq = text.rfind('=');
  if (eq == std::string_view::npos) return ledger::LotAmount{std::string(text), std::nullopt};
  std::string_view number = text.substr(eq + 1);
  if (eq == 0 || number.empty()) {
    return Status::Invalid(std::string(flag) + " '" + std::string(text) +
                           "': write LOT=QUANTITY with a quantity above 0 (e.g. " +
                           "urn:jejak:lot:gayo:h-001=250.5)");
  }
  auto value = ParseQuantityFlag(number, std::string(flag) + " '" + std::string(text) + "'");
  if (!value.ok()) return value.status();
  return ledger::LotAmount{std::string(text.substr(0, eq)), *value};
}

Result<epcis::Quantity> ParseQuantityFlag(std::string_view text, std::string_view flag) {
  auto value = epcis::Quantity::Parse(text);
  if (!value.ok()) return value.status().WithContext(std::string(flag));
  if (value->is_zero()) {
    return Status::Invalid(std::string(flag) + ": the quantity must be above 0");
  }
  return value;
}

Result<std::string> ParseValidityTime(std::string_view text, bool end_of_day) {
  std::string full(text);
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    full += end_of_day ? "T23:59:59Z" : "T00:00:00Z";
  }
  auto ms = epcis::ParseRfc3339Ms(full);
  if (!ms.ok()) {
    return Status::Invalid("'" + std::string(text) +
                           "' is neither a date (2026-03-01) nor an RFC 3339 time "
                           "(2026-03-01T08:00:00+07:00): " +
                           ms.status().message());
  }
  return full;
}

}  // namespace jejak::cli
