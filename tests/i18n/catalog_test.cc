// The message catalogs: complete in every language, and read as written.
#include "i18n/catalog.h"

#include <doctest/doctest.h>

#include <set>
#include <stdexcept>

#include "util/util.h"

namespace consentkit {
namespace {

TEST_CASE("every catalog has every key another has, with the same placeholders") {
  const Catalog& english = Catalog::For("en");
  const std::vector<std::string> english_keys = english.Keys();
  REQUIRE(english_keys.size() > 40);
  for (const std::string& language : Catalog::Languages()) {
    const Catalog& catalog = Catalog::For(language);
    CAPTURE(language);
    CHECK(catalog.language() == language);
    const std::vector<std::string> keys = catalog.Keys();
    std::set<std::string> theirs(keys.begin(), keys.end());
    std::set<std::string> ours(english_keys.begin(), english_keys.end());
    for (const std::string& key : english_keys) {
      CAPTURE(key);
      CHECK_MESSAGE(theirs.count(key) == 1, "the " << language << " catalog lacks " << key);
      if (theirs.count(key)) CHECK(catalog.Placeholders(key) == english.Placeholders(key));
    }
    for (const std::string& key : keys) {
      CHECK_MESSAGE(ours.count(key) == 1,
                    "English lacks " << key << ", which " << language << " has");
    }
  }
}

TEST_CASE("the compiled-in catalogs are the files in i18n/, byte for byte as parsed") {
  for (const std::string& language : Catalog::Languages()) {
    std::string path = std::string(CK_I18N_DIR) + "/" + language + ".messages";
    Catalog from_file = Catalog::Parse(language, ReadFile(path), path);
    const Catalog& built_in = Catalog::For(language);
    REQUIRE(from_file.Keys() == built_in.Keys());
    for (const std::string& key : built_in.Keys()) CHECK(from_file.Text(key) == built_in.Text(key));
  }
}

TEST_CASE("a language is chosen by its primary subtag, English when there is no catalog") {
  CHECK(Catalog::For("es").language() == "es");
  CHECK(Catalog::For("es-MX").language() == "es");
  CHECK(Catalog::For("ES_es").language() == "es");
  CHECK(Catalog::For("fr").language() == "en");
  CHECK(Catalog::For("").language() == "en");
  CHECK(Catalog::Has("es-419"));
  CHECK_FALSE(Catalog::Has("fr"));
  CHECK(Catalog::Languages().front() == "en");
}

TEST_CASE("Format fills every placeholder and refuses a missing or a stray one") {
  const Catalog& es = Catalog::For("es");
  CHECK(es.Format("pdf.footer.page", {{"page", "1"}, {"pages", "3"}}) == "Página 1 de 3");
  CHECK(Catalog::For("en").Format("pdf.footer.page", {{"page", "2"}, {"pages", "2"}}) ==
        "Page 2 of 2");
  CHECK_THROWS_WITH_AS(es.Format("pdf.footer.page", {{"page", "1"}}),
                       "message \"pdf.footer.page\" needs a value for {pages}", std::logic_error);
  CHECK_THROWS_WITH_AS(es.Format("pdf.not-asked", {{"page", "1"}}),
                       "message \"pdf.not-asked\" has no {page}", std::logic_error);
  CHECK_THROWS_WITH_AS(es.Text("no.such.key"), "the es message catalog has no key \"no.such.key\"",
                       std::logic_error);
}

TEST_CASE("a catalog file that is not messages is refused at its line") {
  auto parse = [](const char* text) { Catalog::Parse("xx", text, "xx.messages"); };
  CHECK_NOTHROW(parse("# comment\n\n a.b = text with {name} \n"));
  CHECK(Catalog::Parse("xx", "a = b = c\n", "x").Text("a") == "b = c");
  CHECK_THROWS_WITH_AS(parse("a = one\nno equals sign\n"), "xx.messages:2: expected \"key = text\"",
                       std::logic_error);
  CHECK_THROWS_WITH_AS(parse("a =\n"), "xx.messages:1: expected \"key = text\" with neither empty",
                       std::logic_error);
  CHECK_THROWS_WITH_AS(parse("a = x\n\na = y\n"),
                       "xx.messages:3: key \"a\" is already in this catalog", std::logic_error);
  CHECK_THROWS_WITH_AS(parse("a = {open\n"), "xx.messages:1: a \"{\" with no \"}\" after it",
                       std::logic_error);
}

}  // namespace
}  // namespace consentkit
