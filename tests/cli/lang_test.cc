// `render`/`packet --lang` and what `validate` says about languages, with
// the consentkit binary as a user runs it.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <regex>

#include "i18n/catalog.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::Run;
using test::ShellQuote;

std::string Consentkit(const std::string& args) { return std::string(CK_BINARY) + " " + args; }

std::string Bilingual() { return test::SourcePath("tests/support/rule-forms/bilingual.xml"); }
// A form in English only.
std::string EnglishOnly() { return test::SourcePath("tests/support/rule-forms/limits.xml"); }

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// pdftotext's text with runs of white space as one space.
std::string Flattened(const std::string& pdf) {
  return std::regex_replace(test::PdfText(pdf), std::regex("\\s+"), " ");
}

// The document catalog's /Lang, as qpdf shows it (libharu writes the
// catalog as object 1).
std::string CatalogLang(const std::string& pdf) {
  auto result = Run("qpdf --show-object=1 " + ShellQuote(pdf));
  REQUIRE(result.exit_code == 0);
  REQUIRE(result.out.find("/Type /Catalog") != std::string::npos);
  std::smatch m;
  if (!std::regex_search(result.out, m, std::regex("/Lang \\(([^)]*)\\)"))) return "";
  return m[1];
}

std::string RenderOk(const std::string& args, const std::string& out) {
  auto result = Run(Consentkit(args + " -o " + ShellQuote(out)));
  CHECK_MESSAGE(result.exit_code == 0, result.err);
  CHECK(result.err.empty());
  return out;
}

TEST_CASE("RenderInSpanish") {
  test::TempDir dir;
  std::string pdf =
      RenderOk("render " + ShellQuote(Bilingual()) + " --lang es", dir.File("es.pdf"));
  std::string text = Flattened(pdf);
  CHECK(text.find("Consentimiento para el peeling") != std::string::npos);
  CHECK(text.find("Ponemos un ácido suave en su piel.") != std::string::npos);
  CHECK(text.find("Tipo I: siempre se quema") != std::string::npos);
  CHECK(text.find("We put a mild acid") == std::string::npos);
  // The words the program adds come from the Spanish catalog too.
  for (const char* key : {"risk.initials", "option.yes"}) {
    CAPTURE(key);
    CHECK(text.find(Catalog::For("es").Text(key)) != std::string::npos);
    CHECK(text.find(Catalog::For("en").Text(key)) == std::string::npos);
  }
  CHECK(CatalogLang(pdf) == "es");
}

TEST_CASE("RenderWithoutLangIsTheDefault") {
  test::TempDir dir;
  std::string pdf = RenderOk("render " + ShellQuote(Bilingual()), dir.File("en.pdf"));
  std::string text = Flattened(pdf);
  CHECK(text.find("We put a mild acid on your skin.") != std::string::npos);
  CHECK(text.find("Ponemos") == std::string::npos);
  CHECK(CatalogLang(pdf) == "en");
}

TEST_CASE("RenderLangMatchesARegionalTag") {
  test::TempDir dir;
  std::string pdf =
      RenderOk("render " + ShellQuote(Bilingual()) + " --lang es-MX", dir.File("mx.pdf"));
  CHECK(Flattened(pdf).find("Ponemos un ácido") != std::string::npos);
  CHECK(CatalogLang(pdf) == "es");
}

TEST_CASE("RenderInALanguageNotOffered") {
  test::TempDir dir;
  std::string out = dir.File("fr.pdf");
  auto result =
      Run(Consentkit("render " + ShellQuote(Bilingual()) + " --lang fr -o " + ShellQuote(out)));
  CHECK(result.exit_code == 1);
  CHECK(result.err == "consentkit render: " + Bilingual() +
                          ": form \"bilingual-peel\" is not offered in \"fr\"; expected one of "
                          "its languages: en, es\n");
  CHECK_FALSE(Exists(out));
}

TEST_CASE("PacketLangMustBeOfferedByEveryForm") {
  test::TempDir dir;
  std::string out = dir.File("packet.pdf");
  auto result = Run(Consentkit("packet " + ShellQuote(Bilingual()) + " " +
                               ShellQuote(EnglishOnly()) + " --lang es -o " + ShellQuote(out)));
  CHECK(result.exit_code == 1);
  CHECK(result.err.find(EnglishOnly() + ": form \"") != std::string::npos);
  CHECK(result.err.find("is not offered in \"es\"; expected one of its languages: en\n") !=
        std::string::npos);
  CHECK_FALSE(Exists(out));
  // In a language both offer, each form is rendered in it.
  std::string pdf = RenderOk(
      "packet " + ShellQuote(Bilingual()) + " " + ShellQuote(EnglishOnly()) + " --lang en", out);
  CHECK(CatalogLang(pdf) == "en");
}

TEST_CASE("LangNeedsAValue") {
  auto result = Run(Consentkit("render " + ShellQuote(Bilingual()) + " -o x.pdf --lang"));
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("consentkit render: --lang needs a value") == 0);
  auto help = Run(Consentkit("render --help"));
  CHECK(help.out.find("--lang TAG") != std::string::npos);
}

TEST_CASE("ValidateVerboseNamesTheLanguages") {
  auto result = Run(Consentkit("validate -v " + ShellQuote(Bilingual())));
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK(std::regex_match(
      result.out, std::regex("ok: " + std::regex_replace(Bilingual(), std::regex("[.]"), "[.]") +
                             ": bilingual-peel 1 \\(en, es\\) sha256 [0-9a-f]{64}\n")));
  // Without -v, a valid file is still met with silence.
  auto quiet = Run(Consentkit("validate " + ShellQuote(Bilingual())));
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.out.empty());
}

TEST_CASE("ValidateReportsAMissingTranslation") {
  test::TempDir dir;
  std::string xml = ReadFile(Bilingual());
  std::string spanish = "<text lang=\"es\">Tipo I: siempre se quema</text>";
  xml.replace(xml.find(spanish), spanish.size(), "");
  std::string path = dir.Write("missing.xml", xml);
  auto result = Run(Consentkit("validate -v " + ShellQuote(path)));
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err == path +
                          ":33:7: <option>: no \"es\" text for <option> in question \"skin\"; "
                          "expected <text lang=\"es\">...</text> inside <option>: the form offers "
                          "\"es\"\n");
}

}  // namespace
}  // namespace consentkit
