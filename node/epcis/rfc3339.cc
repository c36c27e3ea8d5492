#include "node/epcis/rfc3339.h"

#include <cstdio>
#include <string>

#include "node/epcis/civil_days.h"

namespace jejak::epcis {
namespace {

constexpr std::size_t kMaxTimeChars = 64;  // longer than any sane date-time; bounds the scan

bool Digits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0); }

Status Bad(std::string_view text, std::string_view why) {
  return Status::Invalid("not an RFC 3339 date-time: '" + std::string(text) + "' (" +
                         std::string(why) + ")");
}

}  // namespace

Result<int64_t> ParseRfc3339Ms(std::string_view s) {
  if (s.size() > kMaxTimeChars) return Bad(s.substr(0, kMaxTimeChars), "too long");
  int year, month, day, hour, minute, second;
  if (!Digits(s, 0, 4, &year) || s.size() < 5 || s[4] != '-' || !Digits(s, 5, 2, &month) ||
      s.size() < 8 || s[7] != '-' || !Digits(s, 8, 2, &day)) {
    return Bad(s, "expected YYYY-MM-DD");
  }
  if (s.size() < 11 || (s[10] != 'T' && s[10] != 't')) return Bad(s, "expected 'T' after the date");
  if (!Digits(s, 11, 2, &hour) || s.size() < 14 || s[13] != ':' || !Digits(s, 14, 2, &minute) ||
      s.size() < 17 || s[16] != ':' || !Digits(s, 17, 2, &second)) {
    return Bad(s, "expected hh:mm:ss");
  }
  if (month < 1 || month > 12) return Bad(s, "month out of range");
  if (day < 1 || day > DaysInMonth(year, month)) return Bad(s, "day out of range");
  if (hour > 23 || minute > 59 || second > 60) return Bad(s, "time of day out of range");
  std::size_t pos = 19;
  int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    int digit_index = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      const int d = s[pos] - '0';
      if (digit_index < 3) millis = millis * 10 + d;
      if (digit_index == 3 && d >= 5) ++millis;  // round half up at the fourth digit
      ++digit_index;
      ++pos;
    }
    if (pos == start) return Bad(s, "empty fraction of a second");
    for (; digit_index < 3; ++digit_index) millis *= 10;
  }
  if (pos >= s.size()) return Bad(s, "missing offset ('Z' or +hh:mm)");
  int offset_minutes = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!Digits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, &om)) {
      return Bad(s, "offset must be +hh:mm or -hh:mm");
    }
    if (oh > 23 || om > 59) return Bad(s, "offset out of range");
    offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return Bad(s, "missing offset ('Z' or +hh:mm)");
  }
  if (pos != s.size()) return Bad(s, "unexpected characters after the offset");
  const int64_t days = DaysFromCivil(year, month, day);
  const int64_t local_seconds = days * 86400 + hour * 3600 + minute * 60 + second;
  return (local_seconds - offset_minutes * 60LL) * 1000 + millis;
}

std::string FormatRfc3339Ms(int64_t ms) {
  // Not ms - days * 86400000: for times near INT64_MIN (a peer's block time, say) the product
  // leaves int64.
  int64_t days = ms / 86400000;
  int64_t ms_of_day = ms % 86400000;
  if (ms_of_day < 0) {
    ms_of_day += 86400000;
    --days;
  }
  const CivilDate date = CivilFromDays(days);
  const int64_t seconds = ms_of_day / 1000;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02lld:%02lld:%02lld",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                static_cast<long long>(seconds % 60));
  std::string text = buf;
  if (ms_of_day % 1000 != 0) {
    std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(ms_of_day % 1000));
    text += buf;
  }
  return text + "Z";
}

bool IsTimeZoneOffset(std::string_view s) {
  int h, m;
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return false;
  if (!Digits(s, 1, 2, &h) || !Digits(s, 4, 2, &m)) return false;
  if (h == 14) return m == 0;
  return h <= 13 && m <= 59;
}

}  // namespace jejak::epcis
