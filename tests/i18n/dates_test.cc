// Dates as people read them (i18n/dates.h): the language's order and
// letters, the clinic's order over them, and ISO 8601 left as the wire's.
#include "i18n/dates.h"

#include <doctest/doctest.h>

#include "i18n/catalog.h"
#include "i18n/languages.h"

namespace consentkit {
namespace {

const Catalog& en = Catalog::For("en");
const Catalog& es = Catalog::For("es");

TEST_CASE("each language shows dates in its own order unless the clinic sets one") {
  CHECK(DisplayDate("1990-02-28", es, std::nullopt) == "28/02/1990");
  CHECK(DisplayDate("1990-02-28", en, std::nullopt) == "1990-02-28");
  CHECK(DisplayDate("1990-02-28", en, DateOrder::kMonthDayYear) == "02/28/1990");
  CHECK(DisplayDate("1990-02-28", es, DateOrder::kMonthDayYear) == "02/28/1990");
  CHECK(DisplayDate("1990-02-28", en, DateOrder::kDayMonthYear) == "28/02/1990");
  CHECK(DisplayDate("1990-02-28", es, DateOrder::kYearMonthDay) == "1990-02-28");
}

TEST_CASE("the hint spells the format in the language's letters") {
  CHECK(DateHint(es, std::nullopt) == "DD/MM/AAAA");
  CHECK(DateHint(en, std::nullopt) == "YYYY-MM-DD");
  CHECK(DateHint(en, DateOrder::kMonthDayYear) == "MM/DD/YYYY");
  CHECK(DateHint(en, DateOrder::kDayMonthYear) == "DD/MM/YYYY");
  CHECK(DateHint(es, DateOrder::kYearMonthDay) == "AAAA-MM-DD");
}

TEST_CASE("what is not YYYY-MM-DD is shown as given, never guessed at") {
  for (const char* odd : {"", "28/02/1990", "1990-2-28", "1990-02-28T10:00:00Z", "abcd-ef-gh"}) {
    CAPTURE(odd);
    CHECK(DisplayDate(odd, es, std::nullopt) == odd);
    CHECK(DisplayLongDate(odd, es, std::nullopt) == odd);
  }
  CHECK(DisplayLongDate("1990-13-01", en, std::nullopt) == "1990-13-01");
}

TEST_CASE("a received instant reads in the language's order, its UTC time kept") {
  CHECK(DisplayInstant("2026-03-14T09:30:05Z", es, std::nullopt) == "14/03/2026 09:30:05");
  CHECK(DisplayInstant("2026-03-14T09:30:05.123Z", en, DateOrder::kMonthDayYear) ==
        "03/14/2026 09:30:05");
  CHECK(DisplayInstant("2026-03-14T09:30:05Z", en, std::nullopt) == "2026-03-14T09:30:05Z");
  CHECK(DisplayInstant("2026-03-14T09:30:05+01:00", es, std::nullopt) ==
        "2026-03-14T09:30:05+01:00");
  CHECK(DisplayInstant("2026-03-14", es, std::nullopt) == "2026-03-14");
  CHECK(DisplayInstant("", es, std::nullopt).empty());
}

TEST_CASE("listings name the month in the language, month first where the clinic writes it so") {
  CHECK(DisplayLongDate("2026-11-23", en, std::nullopt) == "23 Nov 2026");
  CHECK(DisplayLongDate("2026-01-05", es, std::nullopt) == "5 ene 2026");
  CHECK(DisplayLongDate("2026-12-31", es, std::nullopt) == "31 dic 2026");
  CHECK(DisplayLongDate("2026-11-23", en, DateOrder::kMonthDayYear) == "Nov 23, 2026");
}

TEST_CASE("every catalog's date order is one the module reads") {
  for (const std::string& language : Catalog::Languages()) {
    CAPTURE(language);
    CHECK_NOTHROW(DisplayOrder(Catalog::For(language), std::nullopt));
    CHECK(ParseDateOrder(Catalog::For(language).Text("date.order")).has_value());
  }
  CHECK(ParseDateOrder("MDY") == DateOrder::kMonthDayYear);
  CHECK_FALSE(ParseDateOrder("mdy").has_value());
  CHECK_FALSE(ParseDateOrder("").has_value());
}

TEST_CASE("pages not tied to a form pick among consentkit's languages") {
  CHECK(NegotiateLanguage("") == "en");
  CHECK(NegotiateLanguage("es-MX,es;q=0.9,en;q=0.8") == "es");
  CHECK(NegotiateLanguage("fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4") == "es");
  CHECK(NegotiateLanguage("fr, de") == "en");
  CHECK(NegotiateLanguage("en;q=0.2, es;q=0.8") == "es");
  CHECK(NegotiateLanguage("es;q=0, *") == "en");
  CHECK(NegotiateLanguage("es;q=nope") == "en");  // malformed: ignored whole
  CHECK(NegotiateLanguage("en", "es") == "es");   // ?lang= first
  CHECK(NegotiateLanguage("es", "fr") == "es");   // an unknown ?lang= is as if absent
  CHECK(NegotiateLanguage("fr", "", "es") == "es");
}

}  // namespace
}  // namespace consentkit
