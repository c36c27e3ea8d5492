#include "node/epcis/event_hash_values.h"

#include "node/crypto/hex.h"
#include "node/crypto/sha256.h"
#include "node/epcis/civil_days.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace jejak::epcis::hash_internal {
namespace {

// ---- timestamps ----

bool ReadDigits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}


int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

Status BadTime(std::string_view text, const char* why) {
  return Status::Invalid("not a date-time with time zone (" + std::string(why) + "): '" +
                         std::string(text.substr(0, 64)) + "'");
}

// Parses the offset at s[pos..]: "Z", "+HH:MM" or "+HHMM"; minutes east of UTC.
bool ParseOffset(std::string_view s, std::size_t pos, int* minutes) {
  const std::string_view z = s.substr(pos);
  if (z == "Z" || z == "z") {
    *minutes = 0;
    return true;
  }
  if (z.size() != 6 && z.size() != 5) return false;
  if (z[0] != '+' && z[0] != '-') return false;
  int hh = 0;
  int mm = 0;
  const std::size_t mm_pos = z.size() == 6 ? 4 : 3;
  if (z.size() == 6 && z[3] != ':') return false;
  if (!ReadDigits(z, 1, 2, &hh) || !ReadDigits(z, mm_pos, 2, &mm) || hh > 23 || mm > 59) return false;
  *minutes = (z[0] == '-' ? -1 : 1) * (hh * 60 + mm);
  return true;
}

// ---- numbers ----

bool IsDecimalNumber(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}


}  // namespace

Result<std::string> NormaliseTimestamp(std::string_view s) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(s, 0, 4, &year) || s.size() < 19 || s[4] != '-' || !ReadDigits(s, 5, 2, &month) ||
      s[7] != '-' || !ReadDigits(s, 8, 2, &day)) {
    return BadTime(s, "date must be YYYY-MM-DD");
  }
  if ((s[10] != 'T' && s[10] != 't') || !ReadDigits(s, 11, 2, &hour) || s[13] != ':' ||
      !ReadDigits(s, 14, 2, &minute) || s[16] != ':' || !ReadDigits(s, 17, 2, &second)) {
    return BadTime(s, "time must be THH:MM:SS");
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return BadTime(s, "a date or time field is out of range");
  }
  std::size_t pos = 19;
  int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t n = 0;
    int round_digit = 0;
    for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, ++n) {
      if (n < 3) millis = millis * 10 + (s[pos] - '0');
      if (n == 3) round_digit = s[pos] - '0';
    }
    if (n == 0) return BadTime(s, "no digits after the decimal point");
    for (std::size_t k = n; k < 3; ++k) millis *= 10;
    if (round_digit >= 5) ++millis;  // may carry into the seconds; the arithmetic below handles it
  }
  int offset_minutes = 0;
  if (pos >= s.size()) return BadTime(s, "time zone missing");
  if (!ParseOffset(s, pos, &offset_minutes)) return BadTime(s, "time zone must be Z or +HH:MM");
  int64_t t = (DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
               int64_t{offset_minutes} * 60) * 1000 + millis;
  const int64_t days = (t >= 0 ? t : t - 86399999) / 86400000;
  int64_t ms_of_day = t - days * 86400000;
  const CivilDate date = CivilFromDays(days);
  if (date.year < 1 || date.year > 9999) return BadTime(s, "year out of range in UTC");
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year),
                date.month, date.day,
                static_cast<int>(ms_of_day / 3600000), static_cast<int>(ms_of_day / 60000 % 60),
                static_cast<int>(ms_of_day / 1000 % 60), static_cast<int>(ms_of_day % 1000));
  return std::string(buf);
}

std::string FormatNumber(double value) {
  if (value == 0) return "0";
  if (std::trunc(value) == value) {
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.0f", value);  // exact for every integral double
    return buf;
  }
  // Shortest round-trip digits, laid out as Python's repr(float) does.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  const bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  const std::size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  const int exponent = std::atoi(sci.c_str() + e + 1);
  if (digits.size() > 1) digits.erase(1, 1);  // drop the '.'
  std::string out;
  if (exponent < -4 || exponent >= 16) {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp_buf[16];
    std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += exp_buf;
  } else if (exponent < 0) {
    out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  } else {
    const auto int_len = static_cast<std::size_t>(exponent + 1);
    if (digits.size() <= int_len) digits.append(int_len - digits.size(), '0');
    out = digits.substr(0, int_len) + "." + digits.substr(int_len);
  }
  return negative ? "-" + out : out;
}

std::optional<std::string> NormaliseNumber(std::string_view text) {
  if (text.size() > 64 || !IsDecimalNumber(text)) return std::nullopt;
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(value)) return std::nullopt;
  return FormatNumber(value);
}

std::string Sha256Hex(std::string_view data) { return crypto::ToHex(crypto::Sha256(data)); }

}  // namespace jejak::epcis::hash_internal
