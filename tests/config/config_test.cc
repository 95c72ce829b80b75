#include "config/config.h"

#include <doctest/doctest.h>

#include "support/support.h"

namespace consentkit {
namespace {

std::string ErrorOf(const std::string& text) {
  try {
    ParseSettings(text, "c.conf", "/etc/ck");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_CASE("ReadsClinicSettings") {
  Settings s = ParseSettings(
      "# comment\n[clinic]\nname = Clínica Muñoz ; trailing comment\naddress = 1 Main St\n"
      "phone=555\nlogo = logo.png\npage-size = letter\n",
      "c.conf", "/etc/ck");
  CHECK(s.clinic.name == "Clínica Muñoz");
  CHECK(s.clinic.address == "1 Main St");
  CHECK(s.clinic.phone == "555");
  CHECK(s.clinic.logo_path == "/etc/ck/logo.png");
  CHECK(s.clinic.page_size == PageSize::kLetter);
}

TEST_CASE("SampleConfigLoads") {
  Settings s = LoadSettings(test::SourcePath("samples/consentkit.conf"));
  CHECK_FALSE(s.clinic.name.empty());
}

TEST_CASE("UnknownKey") {
  CHECK(ErrorOf("[clinic]\nname = A\ncolour = red\n") ==
        "c.conf:3: unknown key \"colour\" in [clinic]; expected name, address, phone, logo or "
        "page-size");
}

TEST_CASE("UnknownSection") {
  CHECK(ErrorOf("[clinik]\n") == "c.conf:1: unknown section [clinik]; expected [clinic]");
}

TEST_CASE("BadPageSize") {
  CHECK(ErrorOf("[clinic]\nname = A\npage-size = A5\n") ==
        "c.conf:3: invalid page-size \"A5\"; expected a4 or letter");
}

TEST_CASE("NotASetting") {
  CHECK(ErrorOf("[clinic]\nname\n") == "c.conf:2: \"name\" is not a setting; expected key = value");
}

TEST_CASE("MissingName") {
  CHECK(ErrorOf("[clinic]\nphone = 1\n") ==
        "c.conf:1: no clinic name; expected \"name = ...\" in the [clinic] section");
}

}  // namespace
}  // namespace consentkit
