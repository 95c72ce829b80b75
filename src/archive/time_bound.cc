// NormalizeTimeBound: the date forms a compliance officer types, turned into
// the UTC text the store compares received_at and audit times against.
#include <ctime>

#include "archive/archive.h"
#include "util/util.h"

namespace consentkit {
namespace {

// Digits at text[at, at + count) as a number, or -1.
int Digits(const std::string& text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool HasAt(const std::string& text, std::size_t at, char c) {
  return at < text.size() && text[at] == c;
}

// Seconds since the epoch of a valid calendar time, or nullopt (timegm
// normalises 30 February to 2 March; the round trip catches that).
std::optional<std::time_t> ToEpoch(int year, int month, int day, int hour, int minute, int second) {
  std::tm fields{};
  fields.tm_year = year - 1900;
  fields.tm_mon = month - 1;
  fields.tm_mday = day;
  fields.tm_hour = hour;
  fields.tm_min = minute;
  fields.tm_sec = second;
  std::time_t epoch = timegm(&fields);
  std::tm back{};
  gmtime_r(&epoch, &back);
  if (back.tm_year != year - 1900 || back.tm_mon != month - 1 || back.tm_mday != day ||
      back.tm_hour != hour || back.tm_min != minute || back.tm_sec != second) {
    return std::nullopt;
  }
  return epoch;
}

// "Z" as 0, "+01:00" as 3600, "-05:30" as -19800; nullopt otherwise.
std::optional<long> OffsetSeconds(const std::string& zone) {
  if (zone == "Z") return 0;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') {
    return std::nullopt;
  }
  int hours = Digits(zone, 1, 2), minutes = Digits(zone, 4, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return std::nullopt;
  long seconds = hours * 3600L + minutes * 60L;
  return zone[0] == '+' ? seconds : -seconds;
}

}  // namespace

std::optional<std::string> NormalizeTimeBound(const std::string& text) {
  int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0 || !HasAt(text, 4, '-') || !HasAt(text, 7, '-')) {
    return std::nullopt;
  }
  if (text.size() == 10) {
    auto epoch = ToEpoch(year, month, day, 0, 0, 0);
    return epoch ? std::optional<std::string>(UtcTimeText(*epoch)) : std::nullopt;
  }
  int hour = Digits(text, 11, 2), minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
  if (!HasAt(text, 10, 'T') || !HasAt(text, 13, ':') || !HasAt(text, 16, ':') || hour < 0 ||
      minute < 0 || second < 0) {
    return std::nullopt;
  }
  auto offset = OffsetSeconds(text.substr(19));
  auto epoch = ToEpoch(year, month, day, hour, minute, second);
  if (!offset || !epoch) return std::nullopt;
  return UtcTimeText(*epoch - *offset);
}

}  // namespace consentkit
