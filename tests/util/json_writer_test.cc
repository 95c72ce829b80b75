// JsonWriter::Float: canonical JSON holds signature coordinates, and their
// text is hashed, so it must not depend on the locale or ever change.
#include "util/json_writer.h"

#include <doctest/doctest.h>

#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include "support/support.h"

namespace consentkit {
namespace {

std::string FloatJson(float value) { return JsonWriter().Float(value).str(); }

// What Float wrote before it used std::to_chars, in the C locale: the
// fewest of 6 to 9 significant digits that read back as the same float.
std::string PrintfFloat(float value) {
  char text[32];
  for (int precision = 6; precision <= 9; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, static_cast<double>(value));
    if (std::strtof(text, nullptr) == value) break;
  }
  return text;
}

// A C locale whose numbers use a decimal comma, for the test's lifetime:
// an installed German or French locale, or else one that localedef makes
// in a temporary folder (only LC_NUMERIC matters to number formatting).
class CommaLocale {
 public:
  CommaLocale() : previous_(std::setlocale(LC_NUMERIC, nullptr)) {
    for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8"}) {
      if (std::setlocale(LC_NUMERIC, name) && HasComma()) return;
    }
    Generate();
  }
  ~CommaLocale() {
    std::setlocale(LC_NUMERIC, previous_.c_str());
    if (made_) ::unsetenv("LOCPATH");
  }
  CommaLocale(const CommaLocale&) = delete;
  CommaLocale& operator=(const CommaLocale&) = delete;

  static bool HasComma() { return std::strcmp(std::localeconv()->decimal_point, ",") == 0; }

 private:
  void Generate() {
    std::string source = dir_.Write("comma.src",
                                    "LC_NUMERIC\ndecimal_point \"<U002C>\"\n"
                                    "thousands_sep \"<U002E>\"\ngrouping 3;3\n"
                                    "END LC_NUMERIC\n");
    // -c: the other categories are missing on purpose, which localedef
    // reports with exit code 1 while still writing the locale.
    test::Run("localedef -c -i " + test::ShellQuote(source) + " -f UTF-8 " +
              test::ShellQuote(dir_.File("comma")));
    made_ = ::getenv("LOCPATH") == nullptr;
    if (made_) ::setenv("LOCPATH", dir_.path().c_str(), 1);
    std::setlocale(LC_NUMERIC, "comma");
  }

  std::string previous_;
  test::TempDir dir_;
  bool made_ = false;
};

TEST_CASE("FloatKeepsItsFormat") {
  CHECK(FloatJson(0.1f) == "0.1");
  CHECK(FloatJson(1.5f) == "1.5");
  CHECK(FloatJson(3.25f) == "3.25");
  CHECK(FloatJson(200.5f) == "200.5");
  CHECK(FloatJson(600) == "600");
  CHECK(FloatJson(123456.7f) == "123456.7");
  CHECK(FloatJson(1e-7f) == "1e-07");
  CHECK(FloatJson(1e10f) == "1e+10");
  CHECK(FloatJson(-0.0f) == "-0");
  CHECK(FloatJson(std::nanf("")) == "null");
  CHECK(FloatJson(HUGE_VALF) == "null");
}

// The same text as printf gave, for pad coordinates and for floats of
// every magnitude: stored canonical JSON and its hashes stay valid.
TEST_CASE("FloatMatchesWhatPrintfWrote") {
  for (int quarter = -400; quarter <= 8000; ++quarter) {
    float value = static_cast<float>(quarter) / 4.0f;
    REQUIRE(FloatJson(value) == PrintfFloat(value));
    value = static_cast<float>(quarter) / 3.0f;
    REQUIRE(FloatJson(value) == PrintfFloat(value));
  }
  std::mt19937 random(20261123);
  for (int i = 0; i < 200000; ++i) {
    auto bits = static_cast<std::uint32_t>(random());
    float value;
    std::memcpy(&value, &bits, sizeof value);
    if (!std::isfinite(value)) continue;
    CAPTURE(bits);
    REQUIRE(FloatJson(value) == PrintfFloat(value));
  }
}

TEST_CASE("FloatIgnoresADecimalCommaLocale") {
  CommaLocale comma;
  if (!CommaLocale::HasComma()) {
    MESSAGE("no comma-decimal locale is installed and localedef could not make one; skipped");
    return;
  }
  char printed[16];
  std::snprintf(printed, sizeof printed, "%g", 1.5);
  REQUIRE(std::string(printed) == "1,5");  // the locale is in force
  CHECK(FloatJson(1.5f) == "1.5");
  CHECK(FloatJson(0.1f) == "0.1");
  CHECK(FloatJson(123456.7f) == "123456.7");
  CHECK(JsonWriter().BeginArray().Float(3.25f).Float(200.5f).EndArray().str() == "[3.25,200.5]");
}

}  // namespace
}  // namespace consentkit
