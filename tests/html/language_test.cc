// The tablet form page in the patient's language (issue 13): <html lang>,
// the definition's translation and every built-in word of the page and its
// scripts from the catalog of the language shown, and the language switch.
#include <doctest/doctest.h>

#include <cctype>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "form/form.h"
#include "html/html.h"
#include "html/markup.h"
#include "i18n/catalog.h"
#include "support/forms.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::AttrOf;
using test::MustLoadShipped;
using test::SourcePath;
using test::Tag;
using test::TagsNamed;
using test::TestClinic;

FormPtr Bilingual() {
  LoadResult loaded = LoadFormFile(SourcePath("tests/support/rule-forms/bilingual.xml"));
  REQUIRE(loaded.ok());
  return loaded.form;
}

// What a person reads or hears: the text between tags (the #ck-text JSON
// the scripts show included) and the attributes a screen reader or the
// scripts speak.
std::string ReadText(const std::string& page) {
  std::string out = std::regex_replace(page, std::regex("<[^>]*>"), "\n");
  std::regex spoken("\\s(?:aria-label|data-[a-z-]*text|data-signed|title)=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), spoken);
       it != std::sregex_iterator(); ++it) {
    out += "\n" + (*it)[1].str();
  }
  return out;
}

// The built-in words a page may show: the catalog's page.* texts and the
// loader's (yes/no, a risk's two fields), with their {placeholders} cut
// out, so a formatted message is still found by its fixed parts.
std::vector<std::string> BuiltInParts(const Catalog& text) {
  std::vector<std::string> parts;
  for (const std::string& key : text.Keys()) {
    bool page = key.compare(0, 5, "page.") == 0;
    bool loader = key == "option.yes" || key == "risk.understood" || key == "risk.initials";
    // The switch names each language in itself, English too.
    if ((!page && !loader) || key == "page.language-name") continue;
    std::string fixed = std::regex_replace(text.Text(key), std::regex("\\{[a-z]+\\}"), "\x1f");
    std::string escaped = HtmlEscape(fixed);
    std::size_t start = 0;
    for (std::size_t cut = escaped.find('\x1f'); start <= escaped.size();
         cut = escaped.find('\x1f', start)) {
      std::string part = escaped.substr(start, cut == std::string::npos ? cut : cut - start);
      if (part.size() > 3) parts.push_back(part);
      if (cut == std::string::npos) break;
      start = cut + 1;
    }
  }
  return parts;
}

// The English parts that Spanish words differ from (so "No" or "{form} ·"
// do not count), each checked against `read`.
void CheckNoEnglishLeft(const std::string& read) {
  std::set<std::string> spanish;
  for (const std::string& part : BuiltInParts(Catalog::For("es"))) spanish.insert(part);
  int checked = 0;
  for (const std::string& part : BuiltInParts(Catalog::For("en"))) {
    if (spanish.count(part)) continue;
    CAPTURE(part);
    CHECK(read.find(part) == std::string::npos);
    ++checked;
  }
  CHECK(checked > 40);
}

VisitFormOptions SpanishVisit() {
  VisitFormOptions options;
  options.visit_id = "vis_0123456789abcdef";
  options.position = 1;
  options.count = 2;
  options.idle_seconds = 120;
  options.witness_here = true;
  options.language = "es";
  return options;
}

TEST_CASE("TheSpanishPageIsSpanishThroughout") {
  FormPtr form = Bilingual();
  std::string page = RenderFormPage(*form, TestClinic(), "es");
  CHECK(page.find("<html lang=\"es\">") != std::string::npos);
  // The definition's translation…
  CHECK(page.find("<h1>Consentimiento para el peeling</h1>") != std::string::npos);
  CHECK(page.find("¿Tiene acné ahora?") != std::string::npos);
  CHECK(page.find("Do you have acne now?") == std::string::npos);
  // …and the built-in words.
  const Catalog& es = Catalog::For("es");
  for (const char* key :
       {"page.send", "page.pad.undo", "page.pad.clear", "page.pad.not-signed", "page.pad.signed",
        "page.signature-help", "page.noscript", "page.required"}) {
    CAPTURE(key);
    CHECK(page.find(HtmlEscape(es.Text(key))) != std::string::npos);
  }
  CheckNoEnglishLeft(ReadText(page));
}

TEST_CASE("TheSpanishVisitPageIsSpanishThroughout") {
  FormPtr form = Bilingual();
  std::string page = RenderVisitFormPage(*form, TestClinic(), SpanishVisit());
  CHECK(page.find("<html lang=\"es\">") != std::string::npos);
  CHECK(page.find(">Formulario 1 de 2</p>") != std::string::npos);
  CHECK(page.find(">Enviar y continuar</button>") != std::string::npos);
  CHECK(page.find("¿Sigue ahí?") != std::string::npos);
  CHECK(page.find("El formulario se borrará en <span id=\"ck-idle-left\">30</span> segundos.") !=
        std::string::npos);
  CheckNoEnglishLeft(ReadText(page));
  // The switch stays on /visit.
  CHECK(page.find("href=\"/visit?lang=en\"") != std::string::npos);
}

TEST_CASE("TheShippedConsentInSpanishLeavesNoEnglishWord") {
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  if (consent->languages.size() < 2) {
    MESSAGE("forms/microneedling-consent.xml offers no Spanish yet");
    return;
  }
  std::string page = RenderFormPage(*consent, TestClinic(), "es");
  CHECK(page.find("<html lang=\"es\">") != std::string::npos);
  CheckNoEnglishLeft(ReadText(page));
  test::CheckNoInlineCode(page, "consentkit.js");
  test::CheckOnlyOwnUrls(page);
  test::CheckIdsAreUniqueAndResolve(page);
}

TEST_CASE("TheLanguageAskedForIsShownWhenOfferedElseTheDefault") {
  FormPtr form = Bilingual();
  for (const auto& [asked, shown] : std::vector<std::pair<std::string, std::string>>{
           {"es", "es"}, {"ES-mx", "es"}, {"en", "en"}, {"fr", "en"}, {"", "en"}, {"<x>", "en"}}) {
    CAPTURE(asked);
    std::string page = RenderFormPage(*form, TestClinic(), asked);
    CHECK(page.find("<html lang=\"" + shown + "\">") != std::string::npos);
    CHECK(page.find(HtmlEscape(Catalog::For(shown).Text("page.send"))) != std::string::npos);
  }
  // The default page is the one without a language.
  CHECK(RenderFormPage(*form, TestClinic()) == RenderFormPage(*form, TestClinic(), "en"));
}

// How the server chooses, before rendering: ?lang= when offered, else
// Accept-Language (server/http.h PageLanguage; tests/browser/language.mjs
// asks the running server).
TEST_CASE("AcceptLanguagePicksAmongTheFormsLanguages") {
  FormPtr form = Bilingual();
  CHECK(PreferredLanguage(*form, "es-ES,es;q=0.9,en;q=0.5") == "es");
  CHECK(PreferredLanguage(*form, "fr, en;q=0.2") == "en");
  CHECK(PreferredLanguage(*form, "fr") == "en");
  CHECK(PreferredLanguage(*form, "") == "en");
}

TEST_CASE("TheSwitchNamesEachLanguageInItself") {
  FormPtr form = Bilingual();
  for (const std::string shown : {"en", "es"}) {
    CAPTURE(shown);
    std::string page = RenderFormPage(*form, TestClinic(), shown);
    std::vector<Tag> navs = TagsNamed(page, "nav");
    REQUIRE(navs.size() == 1);
    CHECK(AttrOf(navs[0].text, "aria-label") ==
          HtmlEscape(Catalog::For(shown).Text("page.language-switch")));
    std::size_t end = page.find("</nav>", navs[0].at);
    std::string nav = page.substr(navs[0].at, end - navs[0].at);
    std::vector<Tag> links = TagsNamed(nav, "a");
    REQUIRE(links.size() == 2);
    CHECK(nav.find(">English</a>") != std::string::npos);
    CHECK(nav.find(">Español</a>") != std::string::npos);
    for (const Tag& link : links) {
      std::string lang = AttrOf(link.text, "lang");
      CAPTURE(lang);
      CHECK(AttrOf(link.text, "hreflang") == lang);
      CHECK(AttrOf(link.text, "href") == "/forms/bilingual-peel?lang=" + lang);
      CHECK(test::HasAttr(link.text, "aria-current") == (lang == shown));
    }
  }
}

// What the page weight test (html_test.cc) pays for the languages: the
// scripts' words, now in the page instead of in the scripts, and the switch.
TEST_CASE("TheLanguagePartsOfThePageWeighLittle") {
  std::string page = RenderFormPage(*MustLoadShipped("microneedling-consent.xml"), TestClinic());
  std::size_t text = page.find("<script type=\"application/json\" id=\"ck-text\">");
  REQUIRE(text != std::string::npos);
  std::size_t text_bytes = page.find("</script>", text) + 10 - text;
  std::size_t nav = page.find("<nav");
  std::size_t nav_bytes = nav == std::string::npos ? 0 : page.find("</nav>", nav) + 7 - nav;
  MESSAGE("consent page: #ck-text " << text_bytes << " B, language switch " << nav_bytes << " B");
  CHECK(text_bytes < 2048);
  CHECK(nav_bytes < 320);
}

TEST_CASE("AFormInOneLanguageHasNoSwitch") {
  LoadResult loaded = LoadFormFile(SourcePath("tests/support/rule-forms/es-sample.xml"));
  REQUIRE(loaded.ok());
  std::string page = RenderFormPage(*loaded.form, TestClinic(), "en");
  CHECK(page.find("<html lang=\"es\">") != std::string::npos);
  CHECK(page.find("<nav") == std::string::npos);
}

// The #ck-text JSON: every page.js.* message of the language shown, and
// every key the script asks for is one of them.
TEST_CASE("TheScriptsGetTheirWordsFromThePage") {
  FormPtr form = Bilingual();
  std::string page = RenderFormPage(*form, TestClinic(), "es");
  std::string open = "<script type=\"application/json\" id=\"ck-text\">";
  std::size_t at = page.find(open);
  REQUIRE(at != std::string::npos);
  at += open.size();
  std::string json = page.substr(at, page.find("</script>", at) - at);
  const Catalog& es = Catalog::For("es");
  std::set<std::string> keys;
  for (const std::string& key : es.Keys()) {
    if (key.compare(0, 8, "page.js.") != 0) continue;
    keys.insert(key.substr(8));
    CHECK(json.find("\"" + key.substr(8) + "\":") != std::string::npos);
  }
  CHECK(json.find("Enviando…") != std::string::npos);
  std::string script(FindAsset("/assets/consentkit.js")->body);
  std::regex asked("\\bt\\('([a-z-]+)'|TEXT\\.([a-z]+)");
  int calls = 0;
  for (auto it = std::sregex_iterator(script.begin(), script.end(), asked);
       it != std::sregex_iterator(); ++it) {
    std::string key = (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
    CAPTURE(key);
    CHECK(keys.count(key) == 1);
    ++calls;
  }
  CHECK(calls > 20);
}

// No English of the page's catalog is written into the scripts (dom.js
// keeps English defaults only for the staff pages, which pass no words yet).
TEST_CASE("ThePagesScriptsHoldNoEnglishOfTheirOwn") {
  std::vector<std::string> english = BuiltInParts(Catalog::For("en"));
  for (const char* name : {"consentkit.js", "pad.js", "idle.js", "witness.js"}) {
    CAPTURE(name);
    std::string script(FindAsset(std::string("/assets/") + name)->body);
    for (const std::string& part : english) {
      // A lone lowercase word ("required") is as likely a name in the code.
      if (part.find(' ') == std::string::npos && std::islower(static_cast<unsigned char>(part[0])))
        continue;
      // Comments may name a word ("Clear"); what the script shows is in quotes.
      for (const char* quote : {"'", "\"", "`"}) {
        CAPTURE(part);
        CHECK(script.find(quote + part) == std::string::npos);
      }
    }
    CHECK(script.find("'Please") == std::string::npos);
  }
}

}  // namespace
}  // namespace consentkit
