#include "i18n/dates.h"

#include <cctype>
#include <stdexcept>

#include "i18n/catalog.h"

namespace consentkit {
namespace {

bool IsIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) return false;
  }
  return true;
}

// ISO's own order keeps its hyphens; the others are written with slashes.
std::string Join(DateOrder order, std::string_view day, std::string_view month,
                 std::string_view year) {
  std::string out;
  switch (order) {
    case DateOrder::kDayMonthYear:
      return out.append(day).append("/").append(month).append("/").append(year);
    case DateOrder::kMonthDayYear:
      return out.append(month).append("/").append(day).append("/").append(year);
    case DateOrder::kYearMonthDay:
      break;
  }
  return out.append(year).append("-").append(month).append("-").append(day);
}

}  // namespace

DateOrder DisplayOrder(const Catalog& text, std::optional<DateOrder> clinic) {
  if (clinic) return *clinic;
  std::optional<DateOrder> own = ParseDateOrder(text.Text("date.order"));
  if (!own) {
    throw std::logic_error("the " + text.language() + " message catalog's date.order \"" +
                           text.Text("date.order") + "\" is not " + kDateOrderNames);
  }
  return *own;
}

std::string DisplayDate(std::string_view iso, const Catalog& text,
                        std::optional<DateOrder> clinic) {
  if (!IsIsoDate(iso)) return std::string(iso);
  return Join(DisplayOrder(text, clinic), iso.substr(8, 2), iso.substr(5, 2), iso.substr(0, 4));
}

std::string DisplayInstant(std::string_view iso, const Catalog& text,
                           std::optional<DateOrder> clinic) {
  auto digits = [&](std::size_t from, std::size_t count) {
    for (std::size_t i = from; i < from + count; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(iso[i]))) return false;
    }
    return true;
  };
  bool instant = iso.size() >= 20 && IsIsoDate(iso.substr(0, 10)) && iso[10] == 'T' &&
                 digits(11, 2) && iso[13] == ':' && digits(14, 2) && iso[16] == ':' &&
                 digits(17, 2) && iso.back() == 'Z';
  if (!instant || DisplayOrder(text, clinic) == DateOrder::kYearMonthDay) return std::string(iso);
  return DisplayDate(iso.substr(0, 10), text, clinic) + " " + std::string(iso.substr(11, 8));
}

std::string DateHint(const Catalog& text, std::optional<DateOrder> clinic) {
  return Join(DisplayOrder(text, clinic), text.Text("date.day"), text.Text("date.month"),
              text.Text("date.year"));
}

std::string DisplayLongDate(std::string_view iso, const Catalog& text,
                            std::optional<DateOrder> clinic) {
  if (!IsIsoDate(iso)) return std::string(iso);
  int month = (iso[5] - '0') * 10 + (iso[6] - '0');
  // date.months: twelve names, separated by spaces.
  std::string_view names = text.Text("date.months");
  for (int i = 1; i < month && !names.empty(); ++i) {
    std::size_t space = names.find(' ');
    names.remove_prefix(space == std::string_view::npos ? names.size() : space + 1);
  }
  std::string name(names.substr(0, names.find(' ')));
  if (month < 1 || month > 12 || name.empty()) return std::string(iso);
  std::string day(iso.substr(8, 2));
  if (day[0] == '0') day.erase(0, 1);
  bool month_first = DisplayOrder(text, clinic) == DateOrder::kMonthDayYear;
  return text.Format(month_first ? "date.long-month-first" : "date.long",
                     {{"day", day}, {"month", name}, {"year", std::string(iso.substr(0, 4))}});
}

}  // namespace consentkit
