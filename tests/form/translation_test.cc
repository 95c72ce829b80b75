// Translations in the definition: one file carries every language it
// offers, each text a person reads with a <text lang> per other language.
// The loader builds a complete view per language; validate reports each
// missing or misplaced translation where it is, naming the language.
#include <doctest/doctest.h>

#include <regex>

#include "form/field_rules.h"
#include "form/form.h"
#include "i18n/catalog.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

// A small valid form in English and Spanish; line numbers below refer to it.
const std::string kBilingual = R"(<?xml version="1.0" encoding="UTF-8"?>
<form id="t" version="1" kind="general" lang="en" languages="en es">
  <title>Test<text lang="es">Prueba</text></title>
  <section id="about" kind="info">
    <heading>About<text lang="es">Acerca de</text></heading>
    <p>Read this.<text lang="es">Lea esto.</text></p>
    <list><item>One<text lang="es">Uno</text></item></list>
  </section>
  <section id="screen" kind="screening">
    <heading>Questions<text lang="es">Preguntas</text></heading>
    <question id="skin" type="choice"><label>Skin<text lang="es">Piel</text></label><option value="I">One<text lang="es">Uno</text></option><option value="II">Two<text lang="es">Dos</text></option></question>
    <rule when="skin" equals="I" outcome="defer">Wait.<text lang="es">Espere.</text></rule>
  </section>
</form>
)";

// kBilingual with its Spanish removed and no languages="": English only.
std::string EnglishOnly() {
  std::string xml =
      std::regex_replace(kBilingual, std::regex("<text lang=\"es\">[^<]*</text>"), "");
  return std::regex_replace(xml, std::regex(" languages=\"en es\""), "");
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "test text lacks: " << from);
  return text.replace(at, from.size(), to);
}

LoadResult Load(const std::string& xml) { return LoadFormFromMemory(xml, "t.xml"); }

FormPtr MustLoad(const std::string& xml) {
  LoadResult result = Load(xml);
  for (const auto& d : result.errors) FAIL_CHECK(d.ToString());
  REQUIRE(result.ok());
  return result.form;
}

// "OK" when loading `xml` gives exactly one error whose text is `expected`;
// otherwise every error's text.
std::string MatchError(const std::string& xml, const std::string& expected) {
  LoadResult result = Load(xml);
  std::string all;
  for (const auto& d : result.errors) all += d.ToString() + "\n";
  if (result.errors.size() == 1 && result.errors[0].ToString() == expected) return "OK";
  return all.empty() ? "(no errors)" : all;
}

const Paragraph& ParagraphOf(const FormDefinition& form, std::size_t section, std::size_t block) {
  return std::get<Paragraph>(form.sections.at(section).blocks.at(block));
}

TEST_CASE("BilingualFormLoadsEveryView") {
  LoadResult result = LoadFormFile(test::SourcePath("tests/support/rule-forms/bilingual.xml"));
  for (const auto& d : result.errors) FAIL_CHECK(d.ToString());
  REQUIRE(result.ok());
  const FormPtr& en = result.form;
  CHECK(en->lang == "en");
  CHECK(en->languages == std::vector<std::string>{"en", "es"});
  REQUIRE(en->translations.size() == 1);
  REQUIRE(en->translations.count("es") == 1);
  const FormDefinition& es = *en->translations.at("es");
  CHECK(es.lang == "es");
  CHECK(es.languages == en->languages);
  CHECK(es.translations.empty());
  CHECK(es.sha256_hex == en->sha256_hex);
  CHECK(es.source == en->source);
  CHECK(es.xml == en->xml);
  CHECK(es.id == en->id);
  CHECK(es.version == en->version);
  CHECK(es.kind == en->kind);

  CHECK(en->title == "Peel consent");
  CHECK(es.title == "Consentimiento para el peeling");
  CHECK(es.summary == "Lea este formulario.");
  REQUIRE(es.sections.size() == en->sections.size());
  CHECK(es.sections[0].heading == "Qué es un peeling");
  // Line breaks around the default text and its <text> collapse away.
  CHECK(ParagraphOf(*en, 0, 0).text == "We put a mild acid on your skin.");
  CHECK(ParagraphOf(es, 0, 0).text == "Ponemos un ácido suave en su piel.");
  CHECK(std::get<BulletList>(es.sections[0].blocks[1]).items ==
        std::vector<std::string>{"Dura 30 minutos."});
  const Risk& risk = *es.Risks().at(0);
  CHECK(risk.id == "redness");
  CHECK(risk.title == "Enrojecimiento");
  CHECK(risk.description == "Su piel puede enrojecer.");

  // Every view has the same fields, in the same order, differing only in text.
  REQUIRE(es.fields.size() == en->fields.size());
  for (std::size_t i = 0; i < es.fields.size(); ++i) {
    CAPTURE(en->fields[i].id);
    CHECK(es.fields[i].id == en->fields[i].id);
    CHECK(es.fields[i].type == en->fields[i].type);
    CHECK(es.fields[i].required == en->fields[i].required);
    REQUIRE(es.fields[i].options.size() == en->fields[i].options.size());
    for (std::size_t o = 0; o < es.fields[i].options.size(); ++o) {
      CHECK(es.fields[i].options[o].value == en->fields[i].options[o].value);
    }
  }
  // The words the loader derives come from each language's catalog.
  const Catalog& en_text = Catalog::For("en");
  const Catalog& es_text = Catalog::For("es");
  CHECK(en->FindField("redness-understood")->label == en_text.Text("risk.understood"));
  CHECK(es.FindField("redness-understood")->label == es_text.Text("risk.understood"));
  CHECK(es.FindField("redness-initials")->label == es_text.Text("risk.initials"));
  CHECK(es.FindField("redness-understood")->label != en_text.Text("risk.understood"));
  const Field& acne = *es.FindField("acne");
  CHECK(acne.label == "¿Tiene acné ahora?");
  CHECK(acne.options[0].label == es_text.Text("option.yes"));
  CHECK(en->FindField("acne")->options[0].label == en_text.Text("option.yes"));
  const Field& skin = *es.FindField("skin");
  CHECK(skin.hint == "Pregúntenos si no está seguro.");
  CHECK(skin.options[0].label == "Tipo I: siempre se quema");
  CHECK(en->FindField("skin")->options[0].label == "Type I: always burns");
  REQUIRE(es.rules.size() == 1);
  CHECK(es.rules[0].reason == "Brote de acné activo.");
  CHECK(en->rules[0].reason == "Active acne breakout.");
  CHECK(es.rules[0].outcome == Outcome::kDefer);
  CHECK(es.rules[0].when.field_id == "acne");
  CHECK(es.FindField("patient-signature")->label == "Firma del paciente");
}

TEST_CASE("SingleLanguageFormOffersItsLang") {
  FormPtr form = MustLoad(EnglishOnly());
  CHECK(form->languages == std::vector<std::string>{"en"});
  CHECK(form->translations.empty());
  // languages="" naming only the default is the same definition.
  FormPtr explicit_one =
      MustLoad(Replace(EnglishOnly(), R"(lang="en">)", R"(lang="en" languages="en">)"));
  CHECK(explicit_one->sha256_hex == form->sha256_hex);
  // The order of the list is the author's; the default comes first.
  FormPtr reordered = MustLoad(Replace(kBilingual, R"(languages="en es")", R"(languages="es en")"));
  CHECK(reordered->languages == std::vector<std::string>{"en", "es"});
}

TEST_CASE("LanguageLookups") {
  FormPtr en = MustLoad(kBilingual);
  FormPtr es = en->translations.at("es");
  CHECK(OfferedLanguage(*en, "es") == "es");
  CHECK(OfferedLanguage(*en, "ES") == "es");
  CHECK(OfferedLanguage(*en, "es-MX") == "es");
  CHECK(OfferedLanguage(*en, "en-GB") == "en");
  CHECK_FALSE(OfferedLanguage(*en, "fr").has_value());
  CHECK_FALSE(OfferedLanguage(*en, "").has_value());

  CHECK(InLanguage(en, "es") == es);
  CHECK(InLanguage(en, "es-MX") == es);
  CHECK(InLanguage(en, "en") == en);
  CHECK(InLanguage(en, "fr") == en);

  CHECK(PreferredLanguage(*en, "es-MX") == "es");
  CHECK(PreferredLanguage(*en, "fr;q=1, es;q=0.5") == "es");
  CHECK(PreferredLanguage(*en, "es;q=0") == "en");
  CHECK(PreferredLanguage(*en, "*") == "en");
  CHECK(PreferredLanguage(*en, "en;q=0.2, es") == "es");
  CHECK(PreferredLanguage(*en, "es;q=abc") == "en");
  CHECK(PreferredLanguage(*en, "es;;") == "en");
  CHECK(PreferredLanguage(*en, "") == "en");
  // "*" is every language no other range names, so a refusal holds.
  CHECK(PreferredLanguage(*en, "en;q=0, *") == "es");
  CHECK(PreferredLanguage(*en, "es;q=0, *;q=0.1") == "en");
  // Weights as RFC 9110 spells them, nothing strtod would also take.
  CHECK(PreferredLanguage(*en, "en;q=0.5, es;q=0.999") == "es");
  CHECK(PreferredLanguage(*en, "en;q=0.5, es;q=0x1") == "en");
  CHECK(PreferredLanguage(*en, "en;q=0.5, es;q=1.5") == "en");
  CHECK(PreferredLanguage(*en, "en;q=0.5, es;q=1e0") == "en");
  CHECK(PreferredLanguage(*en, "en;q=0.5, , es") == "es");
}

TEST_CASE("HashCoversEveryLanguage") {
  FormPtr form = MustLoad(kBilingual);
  std::string canonical = CanonicalText(*form);
  CHECK(form->sha256_hex == Sha256Hex(canonical));
  CHECK(canonical.find("\nlanguage \"es\"\nform \"t\" \"1\" general \"es\"\n") !=
        std::string::npos);
  CHECK(canonical.find("p \"Lea esto.\"") != std::string::npos);
  // Only a Spanish word changes: the English view is the same, the hash not.
  FormPtr changed = MustLoad(Replace(kBilingual, "Lea esto.", "Lea esto, por favor."));
  CHECK(ParagraphOf(*changed, 0, 0).text == ParagraphOf(*form, 0, 0).text);
  CHECK(changed->sha256_hex != form->sha256_hex);
  // Formatting of the translations does not count.
  FormPtr reflowed = MustLoad(Replace(kBilingual, "<text lang=\"es\">Lea esto.</text>",
                                      "\n      <text lang=\"es\">\n  Lea   esto.</text>\n    "));
  CHECK(reflowed->sha256_hex == form->sha256_hex);
}

// Stored records hold their definitions' hashes: a form in one language
// must serialise exactly as it did before translations existed.
TEST_CASE("SingleLanguageHashIsUnchanged") {
  FormPtr form = MustLoad(EnglishOnly());
  const std::string expected =
      "consentkit-form 1\n"
      "form \"t\" \"1\" general \"en\"\n"
      "title \"Test\"\n"
      "summary \"\"\n"
      "section \"about\" info \"About\"\n"
      "p \"Read this.\"\n"
      "list\n"
      "  item \"One\"\n"
      "section \"screen\" screening \"Questions\"\n"
      "question \"skin\" choice optional role=none label=\"Skin\" hint=\"\"\n"
      "  option \"I\" \"One\"\n"
      "  option \"II\" \"Two\"\n"
      "rule \"skin\" \"I\" defer \"Wait.\"\n";
  CHECK(CanonicalText(*form) == expected);
  CHECK(form->sha256_hex == Sha256Hex(expected));
  CHECK(CanonicalText(*form).find("language") == std::string::npos);
}

TEST_CASE("MissingTranslation") {
  CHECK(MatchError(Replace(kBilingual, "<text lang=\"es\">Lea esto.</text>", ""),
                   "t.xml:6:5: <p>: no \"es\" text for <p> in section \"about\"; expected "
                   "<text lang=\"es\">...</text> inside <p>: the form offers \"es\"") == "OK");
  CHECK(MatchError(Replace(kBilingual, "<text lang=\"es\">Dos</text>", ""),
                   "t.xml:11:141: <option>: no \"es\" text for <option> in question \"skin\"; "
                   "expected <text lang=\"es\">...</text> inside <option>: the form offers "
                   "\"es\"") == "OK");
  CHECK(MatchError(Replace(kBilingual, "<text lang=\"es\">Prueba</text>", ""),
                   "t.xml:3:3: <title>: no \"es\" text for <title> in form \"t\"; expected "
                   "<text lang=\"es\">...</text> inside <title>: the form offers \"es\"") == "OK");
  CHECK(MatchError(Replace(kBilingual, "<text lang=\"es\">Espere.</text>", ""),
                   "t.xml:12:5: <rule>: no \"es\" text for <rule> in section \"screen\"; "
                   "expected <text lang=\"es\">...</text> inside <rule>: the form offers "
                   "\"es\"") == "OK");
}

TEST_CASE("EveryMissingTranslationIsReported") {
  std::string xml = Replace(kBilingual, R"(languages="en es")", R"(languages="en es fr")");
  LoadResult result = Load(xml);
  // Title, heading, p, item, heading, label, two options, rule.
  CHECK(result.errors.size() == 9);
  for (const Diagnostic& d : result.errors) {
    CAPTURE(d.ToString());
    CHECK(d.message.find("no \"fr\" text for <") == 0);
  }
}

TEST_CASE("TranslationInAnUndeclaredLanguage") {
  std::string with_fr = "<text lang=\"es\">Lea esto.</text><text lang=\"fr\">Lisez.</text>";
  CHECK(MatchError(Replace(kBilingual, "<text lang=\"es\">Lea esto.</text>", with_fr),
                   "t.xml:6:56: <text>: text in \"fr\" in <p>, which the form does not offer; "
                   "expected one of \"es\", or \"fr\" added to languages=\"\" on <form>") == "OK");
  CHECK(MatchError(Replace(EnglishOnly(), "Read this.", "Read this.<text lang=\"es\">Lea.</text>"),
                   "t.xml:6:24: <text>: text in \"es\" in <p>, which the form does not offer; "
                   "expected \"es\" added to languages=\"\" on <form>") == "OK");
}

TEST_CASE("RepeatedTranslation") {
  std::string twice = "<text lang=\"es\">Lea esto.</text><text lang=\"es\">Lea.</text>";
  CHECK(MatchError(Replace(kBilingual, "<text lang=\"es\">Lea esto.</text>", twice),
                   "t.xml:6:56: <text>: another \"es\" text in <p>; expected one <text "
                   "lang=\"es\"> per element") == "OK");
}

TEST_CASE("TranslationWithoutOrInTheDefaultLanguage") {
  CHECK(MatchError(Replace(kBilingual, "Lea esto.</text>", "Lea esto.</text><text>Lea.</text>"),
                   "t.xml:6:50: <text>: <text> without lang in <p>; expected lang= naming one "
                   "of the form's other languages: \"es\"") == "OK");
  CHECK(MatchError(Replace(kBilingual, "Lea esto.</text>",
                           "Lea esto.</text><text lang=\"en\">Read.</text>"),
                   "t.xml:6:56: <text>: <text lang=\"en\"> in <p>, the form's default language; "
                   "expected the \"en\" text directly in <p>, outside any <text>") == "OK");
  CHECK(MatchError(Replace(kBilingual, "<text lang=\"es\">Lea esto.</text>",
                           "<text lang=\"es\" dir=\"ltr\">Lea esto.</text>"),
                   "t.xml:6:34: <text>: unknown attribute \"dir\"; expected one of lang") == "OK");
}

TEST_CASE("MarkupInsideTranslation") {
  CHECK(MatchError(Replace(kBilingual, "Lea esto.", "Lea <b>esto</b>."),
                   "t.xml:6:38: <b>: unexpected element <b> inside <text>; expected plain "
                   "text") == "OK");
}

TEST_CASE("TranslationWhereNoTextIsRead") {
  const std::string expected_tail =
      ", which has no text of its own; expected <text lang=\"...\"> only inside an element with "
      "text, such as <p>, <item>, <label>, <option> or <rule>";
  CHECK(
      MatchError(Replace(kBilingual, "<p>Read this.", "<text lang=\"es\">Hola</text><p>Read this."),
                 "t.xml:6:5: <text>: <text> directly inside <section>" + expected_tail) == "OK");
  CHECK(MatchError(Replace(kBilingual, "<list>", "<list><text lang=\"es\">Lista</text>"),
                   "t.xml:7:11: <text>: <text> directly inside <list>" + expected_tail) == "OK");
  CHECK(MatchError(Replace(kBilingual, "<label>Skin", "<text lang=\"es\">P</text><label>Skin"),
                   "t.xml:11:39: <text>: <text> directly inside <question>" + expected_tail) ==
        "OK");
  CHECK(MatchError(Replace(kBilingual, "  <title>", "  <text lang=\"es\">T</text><title>"),
                   "t.xml:3:3: <text>: <text> directly inside <form>" + expected_tail) == "OK");
}

TEST_CASE("EmptyTranslation") {
  CHECK(MatchError(Replace(kBilingual, "Lea esto.", " \n "),
                   "t.xml:6:18: <text>: empty \"es\" text in <p>; expected some text") == "OK");
}

TEST_CASE("TranslationHeldToTheTextLimits") {
  std::string long_label(501, 'a');
  CHECK(MatchError(Replace(kBilingual, ">Piel<", ">" + long_label + "<"),
                   "t.xml:11:50: <text>: text in <label> is 501 characters long (the \"es\" text "
                   "of <label>); expected at most 500 characters") == "OK");
  // A paragraph may be longer than a label, in every language.
  MustLoad(Replace(kBilingual, "Lea esto.", long_label));
  // An emoji is refused in a translation as in the default text.
  LoadResult result = Load(Replace(kBilingual, "Lea esto.", "Lea esto \xF0\x9F\x98\x80."));
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].line == 6);
  CHECK(result.errors[0].column == 18);
  CHECK(result.errors[0].element == "<text>");
  CHECK(result.errors[0].message.find("(the \"es\" text of <p>)") != std::string::npos);
}

TEST_CASE("BadLanguagesAttribute") {
  const std::string expected =
      "BCP 47 tags separated by spaces, the default lang among them, such as "
      "languages=\"en es\"";
  CHECK(MatchError(Replace(kBilingual, R"(languages="en es")", R"(languages="en es e_s")"),
                   "t.xml:2:51: <form id=\"t\">: invalid language \"e_s\" in languages; "
                   "expected " +
                       expected) == "OK");
  CHECK(MatchError(Replace(kBilingual, R"(languages="en es")", R"(languages="en es ES")"),
                   "t.xml:2:51: <form id=\"t\">: languages lists \"ES\" twice; expected each "
                   "language once") == "OK");
  CHECK(MatchError(Replace(kBilingual, R"(languages="en es")", R"(languages="es")"),
                   "t.xml:2:51: <form id=\"t\">: languages=\"es\" lacks the default lang "
                   "\"en\"; expected the default language listed too: languages=\"en es\"") ==
        "OK");
  CHECK(MatchError(Replace(EnglishOnly(), R"(lang="en">)", R"(lang="en" languages=" ">)"),
                   "t.xml:2:51: <form id=\"t\">: empty languages; expected " + expected) == "OK");
}

}  // namespace
}  // namespace consentkit
