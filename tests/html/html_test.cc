// The tablet pages: every model field is on the page under its own id, text
// from definitions is escaped, the page needs nothing from other origins,
// and the embedded assets are the files in web/.
#include "html/html.h"

#include <doctest/doctest.h>

#include <map>
#include <regex>
#include <set>

#include "form/form.h"
#include "support/forms.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::CountOf;
using test::MustLoadShipped;
using test::MustLoadXml;
using test::ShippedForms;
using test::TestClinic;

struct Tag {
  std::string text;  // e.g. <input type="text" id="f-x" ...>
  std::size_t at = 0;
};

// Every opening tag `<name ...>` in `html`, in order.
std::vector<Tag> TagsNamed(const std::string& html, const std::string& name) {
  std::vector<Tag> tags;
  std::regex pattern("<" + name + "(\\s[^>]*)?>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), pattern);
       it != std::sregex_iterator(); ++it) {
    tags.push_back({it->str(), static_cast<std::size_t>(it->position())});
  }
  return tags;
}

std::vector<Tag> Controls(const std::string& html) {
  std::vector<Tag> tags = TagsNamed(html, "input");
  for (const Tag& t : TagsNamed(html, "textarea")) tags.push_back(t);
  return tags;
}

bool HasAttr(const std::string& tag, const std::string& attr) {
  return std::regex_search(tag, std::regex("\\s" + attr + "(=|[\\s>])"));
}

// The value of `attr` in `tag`, or "" when it has none.
std::string AttrOf(const std::string& tag, const std::string& attr) {
  std::smatch m;
  if (!std::regex_search(tag, m, std::regex("\\s" + attr + "=\"([^\"]*)\""))) return "";
  return m[1];
}

// The opening tag of the element carrying data-field="id".
std::string FieldBox(const std::string& html, const std::string& id) {
  auto at = html.find("data-field=\"" + id + "\"");
  if (at == std::string::npos) return "";
  auto start = html.rfind('<', at);
  return html.substr(start, html.find('>', at) - start + 1);
}

std::multimap<std::string, std::string> ControlsByName(const std::string& html) {
  std::multimap<std::string, std::string> by_name;
  for (const Tag& t : Controls(html)) by_name.emplace(AttrOf(t.text, "name"), t.text);
  return by_name;
}

// Whether the tag at `at` sits inside a <label> element.
bool InsideLabel(const std::string& html, std::size_t at) {
  auto open = html.rfind("<label", at);
  auto close = html.rfind("</label>", at);
  return open != std::string::npos && (close == std::string::npos || close < open);
}

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
    std::vector<std::string> expected;
    if (field.type == FieldType::kYesNo) expected = {"yes", "no"};
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
    CHECK(CountOf(page, "<script") <= 1);  // only the page's own script tag
  }
  std::string page = RenderFormPage(*form, clinic);
  CHECK(page.find("&lt;script&gt;alert(12)&lt;/script&gt;") != std::string::npos);
  CHECK(page.find("&quot;Title&quot; &amp; &#39;more&#39;") != std::string::npos);
}

TEST_CASE("PagesReferOnlyToTheServersOwnAssets") {
  std::vector<std::string> pages = {RenderIndexPage(ShippedForms(), TestClinic())};
  for (const FormPtr& form : ShippedForms()) pages.push_back(RenderFormPage(*form, TestClinic()));
  const Asset* css = FindAsset("/assets/consentkit.css");
  const Asset* js = FindAsset("/assets/consentkit.js");
  REQUIRE(css);
  REQUIRE(js);
  for (const std::string& text : {std::string(css->body), std::string(js->body)}) {
    CHECK(text.find("http://") == std::string::npos);
    CHECK(text.find("https://") == std::string::npos);
    CHECK(text.find("@import") == std::string::npos);
    CHECK(text.find("url(") == std::string::npos);
  }
  for (const std::string& page : pages) {
    CHECK(page.find("http://") == std::string::npos);
    CHECK(page.find("https://") == std::string::npos);
    std::regex link("\\s(?:src|href|action|data-submit-url)=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(page.begin(), page.end(), link);
         it != std::sregex_iterator(); ++it) {
      std::string url = (*it)[1];
      CAPTURE(url);
      bool same_origin = url.size() > 1 && url[0] == '/' && url[1] != '/';
      CHECK((same_origin || url == "data:,"));
    }
    CHECK(page.find("href=\"/assets/consentkit.css\"") != std::string::npos);
  }
}

TEST_CASE("NoInlineScriptsStylesOrEventHandlers") {
  for (const FormPtr& form : ShippedForms()) {
    std::string page = RenderFormPage(*form, TestClinic());
    CHECK_FALSE(std::regex_search(page, std::regex("\\son[a-z]+=", std::regex::icase)));
    CHECK_FALSE(std::regex_search(page, std::regex("\\sstyle=")));
    CHECK(page.find("<style") == std::string::npos);
    CHECK(CountOf(page, "<script") == 1);
    CHECK(CountOf(page, "<script src=\"/assets/consentkit.js\" defer></script>") == 1);
  }
}

TEST_CASE("EveryControlHasALabel") {
  for (const FormPtr& form : ShippedForms()) {
    CAPTURE(form->id);
    std::string page = RenderFormPage(*form, TestClinic());
    for (const Tag& control : Controls(page)) {
      CAPTURE(control.text);
      std::string id = AttrOf(control.text, "id");
      bool labelled_for =
          !id.empty() && page.find("<label for=\"" + id + "\"") != std::string::npos;
      CHECK((labelled_for || InsideLabel(page, control.at)));
    }
    for (const Tag& canvas : TagsNamed(page, "canvas")) {
      std::string label_id = AttrOf(canvas.text, "aria-labelledby");
      CHECK(page.find("id=\"" + label_id + "\"") != std::string::npos);
    }
  }
}

TEST_CASE("ElementIdsAreUniqueAndDescriptionsResolve") {
  for (const FormPtr& form : ShippedForms()) {
    CAPTURE(form->id);
    std::string page = RenderFormPage(*form, TestClinic());
    std::set<std::string> ids;
    std::regex id_attr("\\sid=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(page.begin(), page.end(), id_attr);
         it != std::sregex_iterator(); ++it) {
      CHECK_MESSAGE(ids.insert((*it)[1]).second, "duplicate id " << (*it)[1]);
    }
    std::regex refs("\\saria-(?:describedby|labelledby)=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(page.begin(), page.end(), refs);
         it != std::sregex_iterator(); ++it) {
      std::string list = (*it)[1];
      std::regex word("[^ ]+");
      for (auto w = std::sregex_iterator(list.begin(), list.end(), word);
           w != std::sregex_iterator(); ++w) {
        CHECK_MESSAGE(ids.count(w->str()) == 1, "aria reference to missing id " << w->str());
      }
    }
  }
}

TEST_CASE("FormElementCarriesTheDefinitionsIdentity") {
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::string page = RenderFormPage(*consent, TestClinic());
  std::vector<Tag> forms = TagsNamed(page, "form");
  REQUIRE(forms.size() == 1);
  const std::string& tag = forms[0].text;
  CHECK(AttrOf(tag, "data-form-id") == "microneedling-consent");
  CHECK(AttrOf(tag, "data-form-version") == "2026.1");
  CHECK(AttrOf(tag, "data-form-sha256") == consent->sha256_hex);
  CHECK(consent->sha256_hex.size() == 64);
  CHECK(AttrOf(tag, "data-submit-url") == "/api/v1/forms/microneedling-consent/submissions");
  CHECK(HasAttr(tag, "novalidate"));
  CHECK_FALSE(HasAttr(tag, "data-screening"));  // a consent form has no screening rules
  CHECK(page.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
  CHECK(page.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") !=
        std::string::npos);
  CHECK(page.find("<title>Microneedling Consent – Clínica Muñoz</title>") != std::string::npos);
  CHECK(page.find(consent->ShortHash()) != std::string::npos);
  // The button works only once the script has taken over the form.
  CHECK(page.find("<button type=\"submit\" class=\"ck-btn ck-submit\" disabled>") !=
        std::string::npos);
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  CHECK(
      HasAttr(TagsNamed(RenderFormPage(*intake, TestClinic()), "form")[0].text, "data-screening"));
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
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::string page = RenderFormPage(*consent, TestClinic());
  CHECK(TagsNamed(page, "canvas").size() == 2);
  CHECK(CountOf(page, "data-pad=\"undo\"") == 2);
  CHECK(CountOf(page, "data-pad=\"clear\"") == 2);
  CHECK(CountOf(page, "cannot be drawn with the keyboard") == 2);
  for (const Tag& button : TagsNamed(page, "button")) {
    CHECK(AttrOf(button.text, "type") != "");  // no accidental submit buttons
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
  const Asset* css = FindAsset("/assets/consentkit.css");
  const Asset* js = FindAsset("/assets/consentkit.js");
  REQUIRE(css);
  REQUIRE(js);
  CHECK(css->body == ReadFile(test::SourcePath("web/consentkit.css")));
  CHECK(js->body == ReadFile(test::SourcePath("web/consentkit.js")));
  CHECK(css->content_type == "text/css; charset=utf-8");
  CHECK(js->content_type == "text/javascript; charset=utf-8");
  CHECK(FindAsset("/assets/consentkit.js") == js);  // stable for the program's life
}

TEST_CASE("UnknownAssetPathsAreNotFound") {
  for (const char* path : {"", "/", "/assets/", "/assets/other.css", "/assets/consentkit.css?v=1",
                           "/assets/../assets/consentkit.css", "assets/consentkit.css",
                           "/ASSETS/consentkit.css", "/assets/consentkit.js/"}) {
    CAPTURE(path);
    CHECK(FindAsset(path) == nullptr);
  }
}

TEST_CASE("ConsentPageStaysWithinItsWeightBudget") {
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::size_t html = RenderFormPage(*consent, TestClinic()).size();
  std::size_t css = FindAsset("/assets/consentkit.css")->body.size();
  std::size_t js = FindAsset("/assets/consentkit.js")->body.size();
  MESSAGE("consent page: HTML " << html << " B, CSS " << css << " B, JS " << js << " B, total "
                                << html + css + js << " B");
  CHECK(html + css + js < 40 * 1024);
}

}  // namespace
}  // namespace consentkit
