// Dates as people read them. The wire format (JSON, the API, storage, PDF
// metadata) stays ISO 8601, YYYY-MM-DD; what a patient or staff member reads
// follows the language's convention (the catalog's date.order and its
// letters for day, month and year), or the clinic's order when its
// configuration sets one ([clinic] date-order): a US clinic writes
// MM/DD/YYYY whatever the language, a Spanish patient reads DD/MM/AAAA.
//
// The one home of date display: the PDF (hints under blank date fields,
// date answers, dates of birth), the tablet and staff pages all call here.
// Pure functions; safe from any thread.
#ifndef CONSENTKIT_I18N_DATES_H_
#define CONSENTKIT_I18N_DATES_H_

#include <optional>
#include <string>
#include <string_view>

namespace consentkit {

class Catalog;

enum class DateOrder { kDayMonthYear, kMonthDayYear, kYearMonthDay };

// "DMY", "MDY" or "YMD" (as a configuration or a catalog spells it);
// nullopt for anything else. Inline so the configuration parser can check a
// value without linking the catalogs.
inline std::optional<DateOrder> ParseDateOrder(std::string_view name) {
  if (name == "DMY") return DateOrder::kDayMonthYear;
  if (name == "MDY") return DateOrder::kMonthDayYear;
  if (name == "YMD") return DateOrder::kYearMonthDay;
  return std::nullopt;
}
// What ParseDateOrder accepts, for error messages.
inline constexpr const char* kDateOrderNames = "DMY, MDY or YMD";

// The order `text`'s language shows dates in, unless `clinic` sets one.
// Throws std::logic_error if the catalog's date.order is not a DateOrder.
DateOrder DisplayOrder(const Catalog& text, std::optional<DateOrder> clinic);

// "1990-02-28" as `text`'s language and `clinic` show it: "28/02/1990"
// (DMY), "02/28/1990" (MDY) or "1990-02-28" (YMD keeps ISO's hyphens).
// Anything that is not YYYY-MM-DD comes back unchanged, so a caller never
// hides what it was given.
std::string DisplayDate(std::string_view iso, const Catalog& text, std::optional<DateOrder> clinic);

// The format DisplayDate writes, in the language's letters: "DD/MM/AAAA"
// (Spanish, DMY), "MM/DD/YYYY" (English, MDY), "YYYY-MM-DD" (English, YMD).
std::string DateHint(const Catalog& text, std::optional<DateOrder> clinic);

// A UTC instant "2026-03-14T09:30:05Z" (fractions allowed) as `text`'s
// language and `clinic` show it: "14/03/2026 09:30:05" (DMY), "03/14/2026
// 09:30:05" (MDY); YMD keeps the instant as it is, ISO 8601 being that
// convention. The caller says it is UTC. Anything else comes back unchanged.
std::string DisplayInstant(std::string_view iso, const Catalog& text,
                           std::optional<DateOrder> clinic);

// "1990-02-28" with the month's short name, as listings show a date at a
// glance: "28 Feb 1990" (English), "28 feb 1990" (Spanish), "Feb 28, 1990"
// when the clinic writes the month first (MDY). Unchanged if not YYYY-MM-DD.
std::string DisplayLongDate(std::string_view iso, const Catalog& text,
                            std::optional<DateOrder> clinic);

}  // namespace consentkit

#endif  // CONSENTKIT_I18N_DATES_H_
