// The tablet pages: every model field is on the page under its own id, text
// from definitions is escaped, the page needs nothing from other origins,
// and the embedded assets are the files in web/.
#include "html/html.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "form/field_rules.h"
#include "form/form.h"
#include "html/markup.h"
#include "support/forms.h"
#include "support/support.h"
#include "util/json_writer.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::AttrOf;
using test::ControlsByName;
using test::CountOf;
using test::FieldBox;
using test::HasAttr;
using test::MustLoadShipped;
using test::MustLoadXml;
using test::ShippedForms;
using test::Tag;
using test::TagsNamed;
using test::TestClinic;

// A definition with an attack string in every kind of text it carries.
const char kHostileXml[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<form id="hostile" version="1.0" kind="consent" lang="en">
  <title>&lt;script&gt;alert(1)&lt;/script&gt; "Title" &amp; 'more'</title>
  <summary>&lt;script&gt;alert(2)&lt;/script&gt;</summary>
  <section id="s" kind="info">
    <heading>&lt;script&gt;alert(3)&lt;/script&gt;</heading>
    <p>&lt;script&gt;alert(4)&lt;/script&gt; &lt;img src=x onerror=alert(5)&gt;</p>
    <list><item>&lt;script&gt;alert(6)&lt;/script&gt;</item></list>
  </section>
  <section id="r" kind="risks">
    <heading>Risks</heading>
    <risk id="pain">
      <title>&lt;script&gt;alert(7)&lt;/script&gt;</title>
      <description>&lt;script&gt;alert(8)&lt;/script&gt;" onmouseover="alert(9)</description>
    </risk>
  </section>
  <section id="q" kind="screening">
    <heading>Questions</heading>
    <question id="colour" type="choice" required="true">
      <label>&lt;script&gt;alert(10)&lt;/script&gt;</label>
      <hint>&lt;script&gt;alert(11)&lt;/script&gt;</hint>
      <option value="red">&lt;script&gt;alert(12)&lt;/script&gt;</option>
      <option value="blue">Blue</option>
    </question>
  </section>
  <section id="sign" kind="fields">
    <heading>Sign</heading>
    <field id="sig" type="signature" role="patient" required="true">
      <label>&lt;script&gt;alert(13)&lt;/script&gt;</label>
      <hint>"&gt;&lt;script&gt;alert(14)&lt;/script&gt;</hint>
    </field>
  </section>
</form>)";

TEST_CASE("HtmlEscapeReplacesTheFiveSpecialCharacters") {
  CHECK(HtmlEscape("") == "");
  CHECK(HtmlEscape("plain text") == "plain text");
  CHECK(HtmlEscape("<b>") == "&lt;b&gt;");
  CHECK(HtmlEscape("a & b") == "a &amp; b");
  CHECK(HtmlEscape("\"quoted\" 'single'") == "&quot;quoted&quot; &#39;single&#39;");
  CHECK(HtmlEscape("&amp;") == "&amp;amp;");  // escaping twice is visible, never lost
  CHECK(HtmlEscape("Zoë Muñoz “hi”") == "Zoë Muñoz “hi”");
  CHECK(HtmlEscape(std::string_view("a\0b", 3)) == std::string("a\0b", 3));
}

TEST_CASE("EveryFieldIsPostedUnderTheModelsId") {
  for (const FormPtr& form : ShippedForms()) {
    CAPTURE(form->id);
    std::string page = RenderFormPage(*form, TestClinic());
    auto by_name = ControlsByName(page);
    for (const Field& field : form->fields) {
      CAPTURE(field.id);
      CHECK(FieldBox(page, field.id).find(std::string("data-type=\"") + ToString(field.type)) !=
            std::string::npos);
      if (field.type == FieldType::kSignature) {
        CHECK(CountOf(page, "<canvas tabindex=\"0\" role=\"img\" id=\"f-" + field.id + "\"") == 1);
      } else {
        CHECK(by_name.count(field.id) >= 1);
      }
    }
    for (const auto& [name, tag] : by_name) {
      CAPTURE(tag);
      CHECK(form->FindField(name) != nullptr);
    }
  }
}

TEST_CASE("OptionsBecomeRadiosOrCheckboxesWithTheModelsValues") {
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  std::string page = RenderFormPage(*intake, TestClinic());
  auto by_name = ControlsByName(page);
  for (const Field& field : intake->fields) {
    CAPTURE(field.id);
    std::vector<std::string> expected;  // yes/no too: the loader gives them their options
    for (const Option& o : field.options) expected.push_back(o.value);
    if (expected.empty()) continue;
    std::vector<std::string> values;
    auto [begin, end] = by_name.equal_range(field.id);
    for (auto it = begin; it != end; ++it) {
      CHECK(AttrOf(it->second, "type") ==
            (field.type == FieldType::kMultiChoice ? "checkbox" : "radio"));
      values.push_back(AttrOf(it->second, "value"));
    }
    CHECK(values == expected);
  }
}

TEST_CASE("EachRiskHasARequiredCheckboxAndInitials") {
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::string page = RenderFormPage(*consent, TestClinic());
  auto by_name = ControlsByName(page);
  REQUIRE(consent->Risks().size() == 5);
  for (const Risk* risk : consent->Risks()) {
    CAPTURE(risk->id);
    REQUIRE(by_name.count(risk->UnderstoodFieldId()) == 1);
    REQUIRE(by_name.count(risk->InitialsFieldId()) == 1);
    std::string box = by_name.find(risk->UnderstoodFieldId())->second;
    std::string initials = by_name.find(risk->InitialsFieldId())->second;
    CHECK(AttrOf(box, "type") == "checkbox");
    CHECK(HasAttr(box, "required"));
    CHECK(AttrOf(initials, "maxlength") == "4");
    CHECK(AttrOf(initials, "autocapitalize") == "characters");
    CHECK(HasAttr(initials, "required"));
    // The card shows the risk's words, and both fields come after its title.
    auto title = page.find(">" + HtmlEscape(risk->title) + "</h3>");
    REQUIRE(title != std::string::npos);
    CHECK(page.find(HtmlEscape(risk->description)) > title);
    CHECK(page.find("name=\"" + risk->UnderstoodFieldId() + "\"") > title);
  }
}

TEST_CASE("TextFieldsGetTheInputTypeOfTheirFieldType") {
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  auto by_name = ControlsByName(RenderFormPage(*intake, TestClinic()));
  CHECK(AttrOf(by_name.find("date-of-birth")->second, "type") == "date");
  CHECK(AttrOf(by_name.find("phone")->second, "type") == "tel");
  CHECK(AttrOf(by_name.find("email")->second, "type") == "email");
  CHECK(AttrOf(by_name.find("full-name")->second, "type") == "text");
  CHECK(by_name.find("address")->second.rfind("<textarea", 0) == 0);
  CHECK(HasAttr(by_name.find("full-name")->second, "required"));
  CHECK_FALSE(HasAttr(by_name.find("email")->second, "required"));
}

TEST_CASE("RequiredFieldsAreMarkedForTheScript") {
  for (const FormPtr& form : ShippedForms()) {
    std::string page = RenderFormPage(*form, TestClinic());
    for (const Field& field : form->fields) {
      CAPTURE(field.id);
      CHECK(HasAttr(FieldBox(page, field.id), "data-required") == field.required);
    }
  }
}

TEST_CASE("ConditionalFieldsCarryTheirConditionAndStartHidden") {
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  std::string page = RenderFormPage(*intake, TestClinic());
  int conditional = 0;
  for (const Field& field : intake->fields) {
    CAPTURE(field.id);
    std::string box = FieldBox(page, field.id);
    if (!field.condition) {
      CHECK_FALSE(HasAttr(box, "data-when"));
      CHECK_FALSE(HasAttr(box, "hidden"));
      continue;
    }
    ++conditional;
    CHECK(AttrOf(box, "data-when") == field.condition->field_id);
    CHECK(AttrOf(box, "data-equals") == field.condition->equals);
    CHECK(HasAttr(box, "hidden"));
  }
  CHECK(conditional == 3);
}

TEST_CASE("NestedConditionsAreRenderedAsAChain") {
  FormPtr form = MustLoadXml(R"(<form id="chain" version="1" kind="general" lang="en">
    <title>Chain</title>
    <section id="s" kind="screening"><heading>H</heading>
      <question id="a" type="yesno"><label>A?</label></question>
      <question id="b" type="yesno" when="a" equals="yes"><label>B?</label></question>
      <field id="c" type="text" when="b" equals="no"><label>C</label></field>
    </section></form>)");
  std::string page = RenderFormPage(*form, TestClinic());
  CHECK(AttrOf(FieldBox(page, "b"), "data-when") == "a");
  CHECK(AttrOf(FieldBox(page, "c"), "data-when") == "b");
  CHECK(AttrOf(FieldBox(page, "c"), "data-equals") == "no");
}

TEST_CASE("DefinitionTextIsEscapedEverywhere") {
  FormPtr form = MustLoadXml(kHostileXml);
  ClinicSettings clinic = TestClinic();
  clinic.name = "<script>alert('clinic')</script>";
  clinic.address = "\"><script>alert(0)</script>";
  for (const std::string& page : {RenderFormPage(*form, clinic), RenderIndexPage({form}, clinic)}) {
    CHECK(page.find("<script>") == std::string::npos);
    CHECK(page.find("<script>alert") == std::string::npos);
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("onmouseover=\"") == std::string::npos);
    // Only the page's own script tag, and on a form page its rules and
    // its scripts' words (data).
    CHECK(CountOf(page, "<script") - CountOf(page, "<script type=\"application/json\"") <= 1);
    CHECK(CountOf(page, "<script type=\"application/json\"") <= 2);
  }
  std::string page = RenderFormPage(*form, clinic);
  CHECK(page.find("&lt;script&gt;alert(12)&lt;/script&gt;") != std::string::npos);
  CHECK(page.find("&quot;Title&quot; &amp; &#39;more&#39;") != std::string::npos);
}

TEST_CASE("PagesReferOnlyToTheServersOwnAssets") {
  std::vector<std::string> pages = {
      RenderIndexPage(ShippedForms(), TestClinic(), {true}),
      RenderKioskPage(TestClinic(), Catalog::For("en")),
      RenderVisitDonePage(TestClinic(), Catalog::For("en"), VisitChannel::kKiosk),
      RenderPairPage(TestClinic(), Catalog::For("en"), "")};
  for (const FormPtr& form : ShippedForms()) pages.push_back(RenderFormPage(*form, TestClinic()));
  for (std::string_view name : AssetNames()) {
    CAPTURE(name);
    std::string text(FindAsset("/assets/" + std::string(name))->body);
    CHECK(text.find("http://") == std::string::npos);
    CHECK(text.find("https://") == std::string::npos);
    CHECK(text.find("@import") == std::string::npos);
    CHECK(text.find("url(") == std::string::npos);
    // Modules import only their siblings, by relative path.
    std::regex import_from("from '([^']*)'");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), import_from);
         it != std::sregex_iterator(); ++it) {
      std::string target = (*it)[1];
      CAPTURE(target);
      CHECK(target.rfind("./", 0) == 0);
      CHECK(FindAsset("/assets/" + target.substr(2)) != nullptr);
    }
  }
  for (const std::string& page : pages) {
    test::CheckOnlyOwnUrls(page);
    CHECK(page.find("href=\"/assets/consentkit.css\"") != std::string::npos);
  }
}

TEST_CASE("NoInlineScriptsStylesOrEventHandlers") {
  for (const FormPtr& form : ShippedForms()) {
    test::CheckNoInlineCode(RenderFormPage(*form, TestClinic()), "consentkit.js");
  }
  test::CheckNoInlineCode(RenderIndexPage(ShippedForms(), TestClinic()), "");
  test::CheckNoInlineCode(RenderKioskPage(TestClinic(), Catalog::For("en")), "kiosk.js");
  test::CheckNoInlineCode(
      RenderVisitDonePage(TestClinic(), Catalog::For("en"), VisitChannel::kKiosk), "kiosk.js");
  test::CheckNoInlineCode(
      RenderVisitDonePage(TestClinic(), Catalog::For("en"), VisitChannel::kInvite), "");
  test::CheckNoInlineCode(RenderNoticePage(TestClinic(), Catalog::For("en"), "t", "m"), "");
}

TEST_CASE("EveryControlHasALabel") {
  for (const FormPtr& form : ShippedForms()) {
    CAPTURE(form->id);
    test::CheckEveryControlHasALabel(RenderFormPage(*form, TestClinic()));
  }
}

TEST_CASE("ElementIdsAreUniqueAndDescriptionsResolve") {
  for (const FormPtr& form : ShippedForms()) {
    CAPTURE(form->id);
    test::CheckIdsAreUniqueAndResolve(RenderFormPage(*form, TestClinic()));
  }
}

TEST_CASE("FormElementCarriesTheDefinitionsIdentity") {
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::string page = RenderFormPage(*consent, TestClinic());
  std::vector<Tag> forms = TagsNamed(page, "form");
  REQUIRE(forms.size() == 1);
  const std::string& tag = forms[0].text;
  CHECK(AttrOf(tag, "data-form-id") == "microneedling-consent");
  CHECK(AttrOf(tag, "data-form-version") == consent->version);
  CHECK(AttrOf(tag, "data-form-sha256") == consent->sha256_hex);
  CHECK(consent->sha256_hex.size() == 64);
  CHECK(AttrOf(tag, "data-submit-url") == "/api/v1/forms/microneedling-consent/submissions");
  CHECK(HasAttr(tag, "novalidate"));
  CHECK_FALSE(HasAttr(tag, "data-visit"));  // a standalone page posts no visit
  CHECK(page.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
  CHECK(page.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") !=
        std::string::npos);
  CHECK(page.find("<title>Microneedling Consent – Clínica Muñoz</title>") != std::string::npos);
  CHECK(page.find(consent->ShortHash()) != std::string::npos);
  // The button works only once the script has taken over the form.
  CHECK(page.find("<button type=\"submit\" class=\"ck-btn ck-submit\" disabled>") !=
        std::string::npos);
  CHECK_FALSE(HasAttr(tag, "data-idle-seconds"));
}

TEST_CASE("PageLanguageComesFromTheDefinition") {
  FormPtr form = MustLoadXml(R"(<form id="es" version="1" kind="general" lang="es-MX">
    <title>Formulario</title>
    <section id="s" kind="fields"><heading>Datos</heading>
      <field id="nombre" type="text"><label>Nombre</label></field>
    </section></form>)");
  CHECK(RenderFormPage(*form, TestClinic()).find("<html lang=\"es-MX\">") != std::string::npos);
}

TEST_CASE("SignaturePadsHaveUndoClearAndAKeyboardNote") {
  for (const FormPtr& form : ShippedForms()) {
    CAPTURE(form->id);
    std::string page = RenderFormPage(*form, TestClinic());
    int signatures = 0;
    for (const Field& f : form->fields) signatures += f.type == FieldType::kSignature ? 1 : 0;
    CHECK(signatures >= 1);
    CHECK(static_cast<int>(TagsNamed(page, "canvas").size()) == signatures);
    CHECK(CountOf(page, "data-pad=\"undo\"") == signatures);
    CHECK(CountOf(page, "data-pad=\"clear\"") == signatures);
    CHECK(CountOf(page, "cannot be drawn with the keyboard") == signatures);
    for (const Tag& button : TagsNamed(page, "button")) {
      CHECK(AttrOf(button.text, "type") != "");  // no accidental submit buttons
    }
  }
}

TEST_CASE("ClinicDetailsHeadTheFormPage") {
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::string page = RenderFormPage(*consent, TestClinic());
  CHECK(page.find("<p class=\"ck-clinic\">Clínica Muñoz</p>") != std::string::npos);
  CHECK(page.find("1 Main Street · 555-0100") != std::string::npos);
  CHECK(page.find("<h1>Microneedling Consent</h1>") != std::string::npos);
  CHECK(page.find(HtmlEscape(consent->summary)) != std::string::npos);
}

TEST_CASE("IndexListsEveryFormWithItsPageAndPdf") {
  std::vector<FormPtr> forms = ShippedForms();
  std::string page = RenderIndexPage(forms, TestClinic());
  for (const FormPtr& form : forms) {
    CAPTURE(form->id);
    CHECK(page.find(">" + form->title + "</h2>") != std::string::npos);
    CHECK(CountOf(page, "href=\"/forms/" + form->id + "\"") == 1);
    CHECK(CountOf(page, "href=\"/forms/" + form->id + ".pdf\"") == 1);
    CHECK(page.find("· version " + form->version) != std::string::npos);
  }
  CHECK(page.find("Consent · version") != std::string::npos);
  CHECK(page.find("Intake · version") != std::string::npos);
  CHECK(page.find("Aftercare · version") != std::string::npos);
  CHECK(page.find("<script") == std::string::npos);  // the list needs no script
}

TEST_CASE("IndexWithNoFormsSaysSo") {
  std::string page = RenderIndexPage({}, TestClinic());
  CHECK(page.find("No forms are installed") != std::string::npos);
  CHECK(page.find("<ul") == std::string::npos);
}

TEST_CASE("AssetsAreTheFilesInWebWithTheirContentTypes") {
  std::vector<std::string_view> names = AssetNames();
  CHECK(names.size() >= 8);
  for (std::string_view name : names) {
    CAPTURE(name);
    std::string path = "/assets/" + std::string(name);
    const Asset* asset = FindAsset(path);
    REQUIRE(asset);
    CHECK(asset->body == ReadFile(test::SourcePath("web/" + std::string(name))));
    bool css = name.substr(name.size() - 4) == ".css";
    CHECK(asset->content_type ==
          (css ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"));
    CHECK(FindAsset(path) == asset);  // stable for the program's life
  }
  CHECK(FindAsset("/assets/consentkit.js") != nullptr);
  CHECK(FindAsset("/assets/staff.css") != nullptr);
}

TEST_CASE("UnknownAssetPathsAreNotFound") {
  for (const char* path : {"", "/", "/assets/", "/assets/other.css", "/assets/consentkit.css?v=1",
                           "/assets/../assets/consentkit.css", "assets/consentkit.css",
                           "/ASSETS/consentkit.css", "/assets/consentkit.js/"}) {
    CAPTURE(path);
    CHECK(FindAsset(path) == nullptr);
  }
}

// The bytes of a module and everything it imports, each counted once.
std::size_t ModuleWeight(const std::string& name, std::set<std::string>& seen) {
  if (!seen.insert(name).second) return 0;
  std::string text(FindAsset("/assets/" + name)->body);
  std::size_t total = text.size();
  std::regex import_from("from '\\./([^']*)'");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), import_from);
       it != std::sregex_iterator(); ++it) {
    total += ModuleWeight((*it)[1], seen);
  }
  return total;
}

TEST_CASE("ConsentPageStaysWithinItsWeightBudget") {
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::size_t html = RenderFormPage(*consent, TestClinic()).size();
  std::size_t css = FindAsset("/assets/consentkit.css")->body.size();
  std::set<std::string> seen;
  std::size_t js = ModuleWeight("consentkit.js", seen);
  MESSAGE("consent page: HTML " << html << " B, CSS " << css << " B, JS " << js << " B ("
                                << seen.size() << " modules), total " << html + css + js << " B");
  // consentkit.js, dom.js and pad.js (idle.js only on a kiosk): never staff.js.
  CHECK(seen.size() == 3);
  // 40 KiB held it while the script restated the validator's rules; the
  // page now carries them instead (#ck-rules, about 300 bytes, and each
  // pad's limits), and the script reads them: half a KiB more. Issue 13
  // put every word the scripts show in the page (#ck-text, about 1.8 KiB,
  // out of the scripts) and added the language switch (its links, about
  // 240 bytes, and the script that keeps the answers across it): 5 KiB more;
  // the switch's one-time nonce, so kept answers reach only the page the
  // switch opens and never the next patient, a quarter KiB more.
  CHECK(html + css + js < 45 * 1024 + 768);
}

// The rules the script checks come from the page, and the page has them
// from form/field_rules.h: nothing in web/ restates them.
const std::string& ConsentPage() {
  static const std::string page =
      RenderFormPage(*MustLoadShipped("microneedling-consent.xml"), TestClinic());
  return page;
}

std::string RulesJson(const std::string& page) {
  std::string open = "<script type=\"application/json\" id=\"ck-rules\">";
  auto at = page.find(open);
  REQUIRE(at != std::string::npos);
  at += open.size();
  return page.substr(at, page.find("</script>", at) - at);
}

TEST_CASE("TheFormPageCarriesTheValidatorsTextRulesOnce") {
  for (const FormPtr& form : ShippedForms()) {
    CAPTURE(form->id);
    CHECK(CountOf(RenderFormPage(*form, TestClinic()), "id=\"ck-rules\"") == 1);
  }
  std::string rules = RulesJson(ConsentPage());
  // The characters: every one the record's font chain prints
  // (IsInRecordFont) and tab and line breaks, as at most kPageRanges
  // ranges; a superset (the page must not refuse what the server
  // accepts) that still refuses emoji and other controls.
  std::smatch chars;
  REQUIRE(std::regex_search(rules, chars, std::regex("\"chars\":\"([0-9a-f,-]+)\"")));
  std::set<std::pair<char32_t, char32_t>> listed;
  std::string list = chars[1];
  for (std::size_t start = 0; start < list.size();) {
    std::size_t comma = std::min(list.find(',', start), list.size());
    std::string range = list.substr(start, comma - start);
    std::size_t dash = range.find('-');
    auto first = static_cast<char32_t>(std::stoul(range.substr(0, dash), nullptr, 16));
    auto last = dash == std::string::npos
                    ? first
                    : static_cast<char32_t>(std::stoul(range.substr(dash + 1), nullptr, 16));
    listed.emplace(first, last);
    start = comma + 1;
  }
  CHECK(listed.size() <= kPageRanges);
  auto on_page = [&listed](char32_t c) {
    auto after = listed.upper_bound({c, 0x10FFFF});
    return after != listed.begin() && c <= std::prev(after)->second;
  };
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    bool text = c == '\t' || c == '\n' || c == '\r' || IsInRecordFont(c);
    if (text && !on_page(c)) {
      CAPTURE(static_cast<unsigned>(c));
      FAIL("the page refuses a character the server accepts");
    }
  }
  for (char32_t refused : {0x0u, 0x7u, 0x1Bu, 0x7Fu, 0x1F600u, 0x1F44Du, 0x10FFFFu}) {
    CAPTURE(static_cast<unsigned>(refused));
    CHECK(!on_page(refused));
  }
  CHECK(rules.find(",\"email\":" + JsonQuote(kEmailPattern) + ",") != std::string::npos);
  CHECK(rules.find(",\"phone\":\" +-().\",\"digits\":7,\"years\":[1900,2200]}") !=
        std::string::npos);
  // The script has none of them of its own.
  std::string script(FindAsset("/assets/consentkit.js")->body);
  std::string pad(FindAsset("/assets/pad.js")->body);
  for (const char* own : {"\\u2713", "\\x7e", "1900", "2200", "254", ">= 7", "<= 32"}) {
    CAPTURE(own);
    CHECK(script.find(own) == std::string::npos);
  }
  CHECK(pad.find("0.1") == std::string::npos);
  CHECK(pad.find("20000") == std::string::npos);
}

TEST_CASE("SignaturePadsCarryTheValidatorsLimits") {
  std::vector<Tag> canvases = TagsNamed(ConsentPage(), "canvas");
  REQUIRE(canvases.size() == 1);
  CHECK(AttrOf(canvases[0].text, "data-min-share") == "0.1");
  CHECK(AttrOf(canvases[0].text, "data-max-points") == std::to_string(kMaxSignaturePoints));
}

TEST_CASE("AnAuthorsMaxLengthIsTheControlsMaxlength") {
  FormPtr form = MustLoadXml(R"(<form id="limits" version="1" kind="general" lang="en">
    <title>Limits</title>
    <section id="s" kind="fields"><heading>Details</heading>
      <field id="nickname" type="text" max-length="5"><label>Nickname</label></field>
      <field id="notes" type="textarea" max-length="300"><label>Notes</label></field>
      <field id="initials" type="initials" max-length="3"><label>Initials</label></field>
      <field id="plain" type="text"><label>Plain</label></field>
      <field id="email" type="email"><label>E-mail</label></field>
      <field id="phone" type="phone"><label>Phone</label></field>
      <field id="short-phone" type="phone" max-length="20"><label>Phone</label></field>
    </section></form>)");
  auto by_name = ControlsByName(RenderFormPage(*form, TestClinic()));
  CHECK(AttrOf(by_name.find("nickname")->second, "maxlength") == "5");
  CHECK(AttrOf(by_name.find("notes")->second, "maxlength") == "300");
  CHECK(AttrOf(by_name.find("initials")->second, "maxlength") == "3");
  CHECK(AttrOf(by_name.find("plain")->second, "maxlength") == std::to_string(kMaxTextLength));
  // Where the syntax allows less than the length, the syntax's limit.
  CHECK(AttrOf(by_name.find("email")->second, "maxlength") == std::to_string(kMaxEmailLength));
  CHECK(AttrOf(by_name.find("phone")->second, "maxlength") == std::to_string(kMaxPhoneLength));
  CHECK(AttrOf(by_name.find("short-phone")->second, "maxlength") == "20");
}

}  // namespace
}  // namespace consentkit
