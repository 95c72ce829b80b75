// One case per kind of problem `consentkit validate` reports, each checking
// the message and where it points.
#include <doctest/doctest.h>
#include <unicode/uchar.h>

#include <optional>
#include <set>
#include <sstream>

#include "form/field_rules.h"
#include "form/form.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

// A valid consent form. Tests derive broken ones from it with Replace();
// line numbers below refer to this text.
const std::string kValid = R"(<?xml version="1.0" encoding="UTF-8"?>
<form id="t" version="1" kind="consent" lang="en">
  <title>Test consent</title>
  <section id="risks" kind="risks">
    <heading>Risks</heading>
    <risk id="redness">
      <title>Redness</title>
      <description>Your skin may go red.</description>
    </risk>
  </section>
  <section id="screen" kind="screening">
    <heading>Questions</heading>
    <question id="acne" type="yesno" required="true"><label>Acne?</label></question>
    <question id="skin" type="choice"><label>Skin type</label><option value="I">One</option><option value="II">Two</option></question>
    <field id="acne-detail" type="textarea" when="acne" equals="yes"><label>Tell us more</label></field>
    <rule when="acne" equals="yes" outcome="defer">Acne must settle.</rule>
  </section>
  <section id="sign" kind="fields">
    <heading>Sign</heading>
    <field id="sig" type="signature" role="patient" required="true"><label>Signature</label></field>
  </section>
</form>
)";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "test text lacks: " << from);
  return text.replace(at, from.size(), to);
}

// "OK" when loading `xml` gives exactly one error whose text is `expected`;
// otherwise every error's text, so a failing check shows what happened.
std::string MatchError(const std::string& xml, const std::string& expected) {
  LoadResult result = LoadFormFromMemory(xml, "t.xml");
  std::string all;
  for (const auto& d : result.errors) all += d.ToString() + "\n";
  if (result.errors.size() == 1 && result.errors[0].ToString() == expected) return "OK";
  return all.empty() ? "(no errors)" : all;
}

TEST_CASE("ValidFormLoads") {
  LoadResult result = LoadFormFromMemory(kValid, "t.xml");
  REQUIRE(result.ok());
  const FormDefinition& form = *result.form;
  CHECK(form.id == "t");
  CHECK(form.version == "1");
  CHECK(form.sha256_hex.size() == 64);
  CHECK(form.Risks().size() == 1);
  CHECK(form.rules.size() == 1);
  CHECK(form.rules[0].outcome == Outcome::kDefer);
  CHECK(form.rules[0].reason == "Acne must settle.");
  std::vector<std::string> ids;
  for (const Field& f : form.fields) ids.push_back(f.id);
  CHECK(ids == std::vector<std::string>{"redness-understood", "redness-initials", "acne", "skin",
                                        "acne-detail", "sig"});
  REQUIRE(form.FindField("acne-detail"));
  CHECK(form.FindField("acne-detail")->condition->field_id == "acne");
  CHECK(form.FindField("redness-understood")->type == FieldType::kCheckbox);
  CHECK(form.FindField("redness-understood")->required);
  CHECK(form.FindField("sig")->role == SignerRole::kPatient);
  CHECK(form.FindField("acne")->screening);
  CHECK_FALSE(form.FindField("acne-detail")->screening);
}

TEST_CASE("HashIgnoresFormattingButNotWording") {
  std::string reformatted = Replace(kValid, "<title>Test consent</title>",
                                    "<!-- a comment -->\n  <title>\n   Test\n   consent </title>");
  reformatted =
      Replace(reformatted, R"(kind="consent" lang="en")", R"(lang="en"   kind="consent")");
  std::string reworded = Replace(kValid, "Your skin may go red.", "Your skin may turn red.");
  auto a = LoadFormFromMemory(kValid, "a.xml");
  auto b = LoadFormFromMemory(reformatted, "b.xml");
  auto c = LoadFormFromMemory(reworded, "c.xml");
  REQUIRE((a.ok() && b.ok() && c.ok()));
  CHECK(a.form->sha256_hex == b.form->sha256_hex);
  CHECK(a.form->sha256_hex != c.form->sha256_hex);
  CHECK(a.form->ShortHash() == a.form->sha256_hex.substr(0, 12));
}

TEST_CASE("MalformedXml") {
  std::string xml = Replace(kValid, "<heading>Questions</heading>", "<heading>Questions</headng>");
  CHECK(MatchError(xml,
                   "t.xml:12:5: malformed XML: a closing tag does not match its opening tag; "
                   "expected well-formed XML (every tag closed, attributes quoted, & written "
                   "as &amp;)") == "OK");
}

TEST_CASE("EmptyDocument") {
  LoadResult result = LoadFormFromMemory("", "empty.xml");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].ToString().find("empty.xml:1:1: malformed XML: the document is empty") ==
        0);
}

TEST_CASE("UnknownRootElement") {
  std::string xml = Replace(Replace(kValid, "<form id", "<frm id"), "</form>", "</frm>");
  CHECK(
      MatchError(xml, R"(t.xml:2:1: <frm id="t">: unknown root element <frm>; expected <form>)") ==
      "OK");
}

TEST_CASE("UnknownElement") {
  std::string xml = Replace(kValid, "<heading>Sign</heading>", "<heading>Sign</heading><sign/>");
  CHECK(MatchError(xml,
                   "t.xml:19:28: <sign>: unknown element <sign> in a section of kind \"fields\"; "
                   "expected <heading>, <p>, <list> or <field>") == "OK");
}

TEST_CASE("ElementNotAllowedInSectionKind") {
  std::string xml = Replace(kValid, "<heading>Sign</heading>",
                            "<heading>Sign</heading><rule when=\"acne\" equals=\"yes\" "
                            "outcome=\"defer\">x</rule>");
  CHECK(MatchError(xml,
                   "t.xml:19:28: <rule>: <rule> is not allowed in a section of kind "
                   "\"fields\"; expected <heading>, <p>, <list> or <field>") == "OK");
}

TEST_CASE("UnknownAttribute") {
  std::string xml =
      Replace(kValid, R"(<field id="sig" type)", R"(<field id="sig" colour="red" type)");
  CHECK(MatchError(xml,
                   "t.xml:20:21: <field id=\"sig\">: unknown attribute \"colour\"; expected one "
                   "of id, type, required, role, when, equals, prefill or max-length") == "OK");
}

TEST_CASE("MissingRequiredAttribute") {
  std::string xml = Replace(kValid, R"(<form id="t" version="1")", R"(<form id="t")");
  CHECK(MatchError(xml,
                   "t.xml:2:1: <form id=\"t\">: missing attribute \"version\"; expected "
                   "<form version=\"...\">") == "OK");
}

TEST_CASE("InvalidFieldType") {
  std::string xml = Replace(kValid, R"(type="textarea")", R"(type="dat")");
  CHECK(MatchError(xml,
                   "t.xml:15:29: <field id=\"acne-detail\">: invalid type \"dat\"; expected one "
                   "of text, textarea, date, email, phone, yesno, choice, multichoice, "
                   "initials, signature") == "OK");
}

TEST_CASE("InvalidId") {
  std::string xml = Replace(kValid, R"(<risk id="redness">)", R"(<risk id="Red ness">)");
  CHECK(MatchError(xml,
                   "t.xml:6:11: <risk id=\"Red ness\">: invalid id \"Red ness\"; expected a "
                   "lower-case letter, then letters, digits, '-' or '_' (at most 64)") == "OK");
}

TEST_CASE("DuplicateId") {
  std::string xml = Replace(kValid, R"(<question id="skin")", R"(<question id="acne")");
  CHECK(MatchError(xml,
                   "t.xml:14:15: <question id=\"acne\">: duplicate id \"acne\"; expected ids "
                   "unique within the form") == "OK");
}

TEST_CASE("IdCollidesWithRiskField") {
  std::string xml = Replace(kValid, R"(<field id="sig")", R"(<field id="redness-initials")");
  CHECK(MatchError(xml,
                   "t.xml:20:12: <field id=\"redness-initials\">: duplicate id "
                   "\"redness-initials\"; expected ids unique within the form") == "OK");
}

TEST_CASE("RuleNamesUnknownQuestion") {
  std::string xml = Replace(kValid, R"(<rule when="acne")", R"(<rule when="acnee")");
  CHECK(MatchError(xml,
                   "t.xml:16:11: <rule>: rule names unknown question \"acnee\"; expected the "
                   "id of a <question> in this form") == "OK");
}

TEST_CASE("RuleOnAFieldThatIsNotAQuestion") {
  std::string xml = Replace(kValid, R"(<rule when="acne")", R"(<rule when="acne-detail")");
  CHECK(MatchError(xml,
                   "t.xml:16:11: <rule>: rule names \"acne-detail\", which is a <field>, not a "
                   "<question>; expected the id of a <question>: rules decide screening from "
                   "questions only") == "OK");
}

TEST_CASE("ConditionNamesUnknownField") {
  std::string xml = Replace(kValid, R"(when="acne" equals="yes"><label>)",
                            R"(when="pimples" equals="yes"><label>)");
  CHECK(MatchError(xml,
                   "t.xml:15:45: <field id=\"acne-detail\">: condition names unknown field "
                   "\"pimples\"; expected the id of a yesno, choice or multichoice item in "
                   "this form") == "OK");
}

TEST_CASE("ImpossibleYesNoValue") {
  std::string xml =
      Replace(kValid, R"(<rule when="acne" equals="yes")", R"(<rule when="acne" equals="maybe")");
  CHECK(MatchError(xml,
                   "t.xml:16:23: <rule>: \"acne\" can never equal \"maybe\"; expected one of "
                   "yes, no") == "OK");
}

TEST_CASE("ImpossibleChoiceValue") {
  std::string xml =
      Replace(kValid, R"(<rule when="acne" equals="yes")", R"(<rule when="skin" equals="III")");
  CHECK(MatchError(xml,
                   "t.xml:16:23: <rule>: \"skin\" can never equal \"III\"; expected one of I, "
                   "II") == "OK");
}

TEST_CASE("ConditionOnFreeTextField") {
  // An intake form: a consent's patient signature may not be conditional at all.
  std::string xml = Replace(kValid, R"(kind="consent")", R"(kind="intake")");
  xml = Replace(xml, R"(<field id="sig" type="signature")",
                R"(<field id="sig" when="acne-detail" equals="x" type="signature")");
  CHECK(MatchError(xml,
                   "t.xml:20:21: <field id=\"sig\">: condition on \"acne-detail\" of type "
                   "textarea; expected a yesno, choice or multichoice item") == "OK");
}

TEST_CASE("ConditionWithoutEquals") {
  std::string xml =
      Replace(kValid, R"(when="acne" equals="yes"><label>)", R"(when="acne"><label>)");
  CHECK(MatchError(xml,
                   "t.xml:15:5: <field id=\"acne-detail\">: \"when\" without \"equals\"; "
                   "expected both when=\"question-id\" and equals=\"value\"") == "OK");
}

TEST_CASE("EmptyText") {
  std::string xml = Replace(kValid, "<description>Your skin may go red.</description>",
                            "<description>  \n </description>");
  CHECK(MatchError(xml,
                   "t.xml:8:7: <description>: empty text in <description>; expected some "
                   "text") == "OK");
}

TEST_CASE("MarkupInsideText") {
  std::string xml = Replace(kValid, "Your skin may go red.", "Your skin may go <b>red</b>.");
  CHECK(MatchError(xml,
                   "t.xml:8:37: <b>: unexpected element <b> inside <description>; expected "
                   "plain text") == "OK");
}

TEST_CASE("MissingLabel") {
  std::string xml = Replace(kValid, "<label>Signature</label>", "");
  CHECK(MatchError(xml,
                   "t.xml:20:5: <field id=\"sig\">: missing <label> in <field>; expected one "
                   "<label> element") == "OK");
}

TEST_CASE("SignatureWithoutRole") {
  std::string xml = Replace(kValid, R"( role="patient")", "");
  LoadResult result = LoadFormFromMemory(xml, "t.xml");
  REQUIRE(result.errors.size() == 2);
  CHECK(result.errors[0].ToString() ==
        "t.xml:20:5: <field id=\"sig\">: signature without a role; expected role=\"patient\", "
        "\"practitioner\" or \"witness\"");
  CHECK(result.errors[1].ToString() ==
        "t.xml:2:1: <form id=\"t\">: consent form has no patient signature; expected a <field "
        "type=\"signature\" role=\"patient\">");
}

TEST_CASE("AWitnessMayHaveAPrintedNameButNoOtherFieldARole") {
  std::string xml = Replace(kValid, R"(<field id="sig")",
                            R"(<field id="wname" type="text" role="witness"><label>Witness</label>)"
                            R"(</field><field id="sig")");
  LoadResult loaded = LoadFormFromMemory(xml, "t.xml");
  for (const auto& d : loaded.errors) FAIL_CHECK(d.ToString());
  REQUIRE(loaded.ok());
  CHECK(loaded.form->FindField("wname")->IsWitnessStep());
  CHECK(loaded.form->HasWitnessStep());
  CHECK_FALSE(LoadFormFromMemory(kValid, "t.xml").form->HasWitnessStep());
  xml = Replace(xml, R"(type="text" role="witness")", R"(type="text" role="patient")");
  loaded = LoadFormFromMemory(xml, "t.xml");
  REQUIRE(loaded.errors.size() == 1);
  CHECK(loaded.errors[0].ToString().find(
            "role on a field that is not a signature; expected role only on "
            "type=\"signature\", or role=\"witness\" on the witness's printed name") !=
        std::string::npos);
}

TEST_CASE("AYesNoQuestionGetsItsOptionsWithoutChangingTheHash") {
  LoadResult loaded = LoadFormFromMemory(kValid, "t.xml");
  REQUIRE(loaded.ok());
  const Field* acne = loaded.form->FindField("acne");
  REQUIRE(acne != nullptr);
  REQUIRE(acne->type == FieldType::kYesNo);
  REQUIRE(acne->options.size() == 2);
  CHECK(acne->options[0].value == "yes");
  CHECK(acne->options[0].label == "Yes");
  CHECK(acne->options[1].value == "no");
  // Implied options are not the author's words: the canonical text, and so
  // every kept definition's hash, stays as it was.
  CHECK(CanonicalText(*loaded.form).find("option \"yes\"") == std::string::npos);
}

TEST_CASE("ChoiceWithOneOption") {
  std::string xml = Replace(kValid, R"(<option value="II">Two</option>)", "");
  CHECK(MatchError(xml,
                   "t.xml:14:5: <question id=\"skin\">: choice with 1 option(s); expected at "
                   "least two <option> elements") == "OK");
}

TEST_CASE("DuplicateOptionValue") {
  std::string xml = Replace(kValid, R"(<option value="II">)", R"(<option value="I">)");
  CHECK(MatchError(xml,
                   "t.xml:14:101: <option>: duplicate option value \"I\"; expected option "
                   "values unique within the field") == "OK");
}

TEST_CASE("ConsentWithoutRisks") {
  std::string xml = Replace(kValid, R"(<section id="risks" kind="risks">)",
                            R"(<section id="risks" kind="info">)");
  xml = Replace(xml, R"(<risk id="redness">)", R"(<p>No risks.</p><!--)");
  xml = Replace(xml, "</risk>", "-->");
  CHECK(MatchError(xml,
                   "t.xml:2:1: <form id=\"t\">: consent form has no risks; expected at least "
                   "one <risk> in a <section kind=\"risks\">") == "OK");
}

TEST_CASE("ConsentWithoutPatientSignature") {
  std::string xml = Replace(kValid, R"(role="patient")", R"(role="witness")");
  CHECK(MatchError(xml,
                   "t.xml:2:1: <form id=\"t\">: consent form has no patient signature; "
                   "expected a <field type=\"signature\" role=\"patient\">") == "OK");
}

TEST_CASE("ConsentWithOptionalPatientSignature") {
  const std::string expected =
      "t.xml:20:5: <field id=\"sig\">: the patient signature of a consent form is optional; "
      "expected required=\"true\" on it: an unsigned consent must not be sealed";
  CHECK(MatchError(Replace(kValid, R"(role="patient" required="true")", R"(role="patient")"),
                   expected) == "OK");
  CHECK(MatchError(Replace(kValid, R"(role="patient" required="true")",
                           R"(role="patient" required="false")"),
                   expected) == "OK");
}

TEST_CASE("ConsentWithConditionalPatientSignature") {
  std::string xml = Replace(kValid, R"(role="patient" required="true")",
                            R"(role="patient" required="true" when="acne" equals="no")");
  CHECK(MatchError(xml,
                   "t.xml:20:5: <field id=\"sig\">: the patient signature of a consent form is "
                   "conditional; expected no when= or equals= on it: every consent needs the "
                   "patient's signature") == "OK");
}

TEST_CASE("IntakeMayLeaveThePatientSignatureOptional") {
  std::string xml = Replace(kValid, R"(kind="consent")", R"(kind="intake")");
  xml = Replace(xml, R"(role="patient" required="true")",
                R"(role="patient" when="acne" equals="no")");
  CHECK(LoadFormFromMemory(xml, "t.xml").ok());
}

TEST_CASE("IntakeNeedsNoRisks") {
  std::string xml = Replace(kValid, R"(kind="consent")", R"(kind="intake")");
  xml = Replace(xml, R"(role="patient")", R"(role="witness")");
  CHECK(LoadFormFromMemory(xml, "t.xml").ok());
}

TEST_CASE("ErrorsAreCapped") {
  std::string many;
  for (int i = 0; i < 300; ++i) many += "<bogus/>";
  std::string xml = Replace(kValid, "<heading>Sign</heading>", "<heading>Sign</heading>" + many);
  CHECK(LoadFormFromMemory(xml, "t.xml").errors.size() == kMaxDiagnostics);
}

TEST_CASE("UnreadableFile") {
  LoadResult result = LoadFormFile("/nonexistent/form.xml");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].ToString() ==
        "/nonexistent/form.xml: cannot read /nonexistent/form.xml: No such file or directory; "
        "expected a readable form definition file");
}

}  // namespace
}  // namespace consentkit

namespace consentkit {
namespace {

// Deterministic mutation fuzzing: byte flips, deletions and duplications of
// the valid form must never crash (run under ASan/UBSan in CI), never throw,
// and always yield either a form or at least one located diagnostic.
TEST_CASE("MutatedInputNeverCrashes") {
  std::uint32_t state = 12345;
  auto next = [&state]() {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string xml = kValid;
    for (int edits = 1 + static_cast<int>(next() % 4); edits > 0; --edits) {
      std::size_t at = next() % xml.size();
      switch (next() % 3) {
        case 0:
          xml[at] = static_cast<char>(next() & 0xFF);
          break;
        case 1:
          xml.erase(at, 1 + next() % 12);
          break;
        default:
          xml.insert(at, xml.substr(at, 1 + next() % 40));
          break;
      }
      if (xml.empty()) xml = "<";
    }
    LoadResult result = LoadFormFromMemory(xml, "fuzz.xml");
    CHECK((result.ok() ? result.form != nullptr : !result.errors.empty()));
    for (const auto& d : result.errors) {
      CHECK(d.line >= 1);
      CHECK(d.column >= 1);
    }
  }
}

TEST_CASE("DeepNestingIsRejectedNotOverflowed") {
  std::string xml = "<form>";
  for (int i = 0; i < 100000; ++i) xml += "<a>";
  LoadResult result = LoadFormFromMemory(xml, "deep.xml");
  CHECK_FALSE(result.ok());
}

}  // namespace
}  // namespace consentkit

namespace consentkit {
namespace {

TEST_CASE("NoRootElement") {
  CHECK(MatchError("<?xml version=\"1.0\"?>\n<!-- nothing -->\n",
                   "t.xml:1:1: no <form> element; expected one <form> element holding the "
                   "definition") == "OK");
}

TEST_CASE("SecondRootElement") {
  std::string xml = kValid + "<form/>\n";
  CHECK(MatchError(xml,
                   "t.xml:23:1: <form>: a second top-level element <form>; expected exactly "
                   "one <form> element per file") == "OK");
}

TEST_CASE("HugeAttributeIsRefusedNotOverflowed") {
  std::string lang = "en";
  for (int i = 0; i < 10000; ++i) lang += "-ab";
  std::string xml = Replace(kValid, R"(lang="en")", "lang=\"" + lang + "\"");
  LoadResult result = LoadFormFromMemory(xml, "t.xml");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].message.find("invalid lang") == 0);
}

TEST_CASE("OptionValueOffIsReserved") {
  std::string xml = Replace(kValid, R"(<option value="II">)", R"(<option value="Off">)");
  LoadResult result = LoadFormFromMemory(xml, "t.xml");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].ToString().find("invalid option value \"Off\"; expected letters, digits, "
                                         "'-' or '_' (at most 64), and not Off") !=
        std::string::npos);
}

TEST_CASE("InvalidUtf8") {
  std::string xml = Replace(kValid, "Your skin may go red.", "Your skin \xC3 may go red.");
  CHECK(MatchError(xml,
                   "t.xml:8:30: not well-formed XML: a byte that is not UTF-8; expected UTF-8 "
                   "text (save the file as UTF-8)") == "OK");
  // Declared as Latin-1 the bytes are XML, but not text the records can hold.
  xml = Replace(xml, R"(encoding="UTF-8")", R"(encoding="ISO-8859-1")");
  CHECK(MatchError(xml,
                   "t.xml:8:7: <description>: text in <description> is not valid UTF-8; "
                   "expected UTF-8 text") == "OK");
}

// tinyxml2 keeps each of these as text; any other XML tool refuses the file.
TEST_CASE("BareAmpersand") {
  std::string xml = Replace(kValid, "Your skin may go red.", "Your skin may go red & sore.");
  CHECK(MatchError(xml,
                   "t.xml:8:41: not well-formed XML: '&' that starts no entity reference; "
                   "expected &amp; for a literal ampersand") == "OK");
  // Columns count characters, as everywhere else: the é is one.
  xml = Replace(kValid, "Your skin may go red.", "Your skin may go réd AT&T.");
  CHECK(MatchError(xml,
                   "t.xml:8:43: not well-formed XML: '&' that starts no entity reference; "
                   "expected &amp; for a literal ampersand") == "OK");
  xml = Replace(kValid, "<label>Skin type</label>", "<label>Skin &amp type</label>");
  CHECK(MatchError(xml,
                   "t.xml:14:51: not well-formed XML: '&' that starts no entity reference; "
                   "expected &amp; for a literal ampersand") == "OK");
}

TEST_CASE("UndefinedEntity") {
  std::string xml = Replace(kValid, "Your skin may go red.", "Your skin may go&nbsp;red.");
  CHECK(MatchError(xml,
                   "t.xml:8:36: not well-formed XML: undefined entity \"&nbsp;\"; expected "
                   "&amp; for a literal ampersand, or one of XML's own entities (&lt; &gt; "
                   "&quot; &apos;) or a character reference such as &#160; (HTML names such as "
                   "&nbsp; are not XML)") == "OK");
  // The five XML entities and character references are fine.
  xml = Replace(kValid, "Your skin may go red.", "&lt;&gt;&amp;&quot;&apos;&#160;&#xE9;");
  CHECK(LoadFormFromMemory(xml, "t.xml").ok());
}

TEST_CASE("UnboundNamespacePrefix") {
  std::string xml = Replace(kValid, "<heading>Sign</heading>", "<heading>Sign</heading><x:note/>");
  CHECK(MatchError(xml,
                   "t.xml:19:28: not well-formed XML: unbound prefix; expected well-formed XML "
                   "(every tag closed, attributes quoted, & written as &amp;)") == "OK");
}

TEST_CASE("CharacterOutsideTheFont") {
  // No face of the chain has it: the error shows the character, its code
  // and where it is.
  std::string xml =
      Replace(kValid, "Your skin may go red.", "Your skin may go red \xF0\x9F\x98\x80.");
  CHECK(MatchError(xml,
                   "t.xml:8:7: <description>: character \"\xF0\x9F\x98\x80\" (U+1F600, "
                   "character 22) cannot be printed: no font of the record has it; expected "
                   "letters, digits and punctuation in any script (no emoji)") == "OK");
  // Inside the BMP but for private use: what it shows is the font's own idea.
  std::string private_use = Replace(kValid, "Your skin may go red.", "\xEE\x80\x80.");
  CHECK(MatchError(private_use,
                   "t.xml:8:7: <description>: character \"\xEE\x80\x80\" (U+E000, "
                   "character 1) cannot be printed: no font of the record has it; expected "
                   "letters, digits and punctuation in any script (no emoji)") == "OK");
  // Cyrillic, Greek, Arabic and Chinese print (the font chain has them).
  for (const char* text : {"\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD.", "α-hydroxy acids, β-blockers.",
                           "محمد الأحمد", "王小明"}) {
    CAPTURE(text);
    CHECK(LoadFormFromMemory(Replace(kValid, "Your skin may go red.", text), "t.xml").ok());
  }
}

TEST_CASE("RecordFontMatchesTheFontChain") {
  // fonts/chain.list names the faces; IsInRecordFont must accept exactly
  // what they map (read here by fontTools, not HarfBuzz as the build
  // does), less controls, private use, emoji, and what prints as nothing
  // or reorders the line (format and default-ignorable characters, line
  // and paragraph separators) but the joiners and direction marks.
  std::string list = test::SourcePath("fonts/chain.list");
  auto result = test::Run(std::string(CK_PYTHON) + " -c " + test::ShellQuote(R"(
import sys
from fontTools.ttLib import TTFont
codes = set()
for line in open(sys.argv[1]):
    if not line.strip() or line.startswith('#'):
        continue
    path, index = line.split()[:2]
    codes |= set(TTFont(path, fontNumber=int(index), lazy=True).getBestCmap())
print(' '.join('%x' % c for c in sorted(codes)))
)") + " " + test::ShellQuote(list));
  REQUIRE(result.exit_code == 0);
  std::set<char32_t> mapped;
  std::istringstream codes(result.out);
  std::string hex;
  while (codes >> hex) mapped.insert(static_cast<char32_t>(std::stoul(hex, nullptr, 16)));
  REQUIRE(mapped.size() > 40000);
  auto excluded = [](char32_t c) {
    auto category = u_charType(static_cast<UChar32>(c));
    return c < 0x20 || category == U_CONTROL_CHAR || category == U_PRIVATE_USE_CHAR ||
           category == U_SURROGATE || category == U_UNASSIGNED ||
           u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_EMOJI_PRESENTATION) ||
           (c >= 0x1F000 && c <= 0x1FAFF) || c == 0xFE0F || category == U_LINE_SEPARATOR ||
           category == U_PARAGRAPH_SEPARATOR ||
           ((category == U_FORMAT_CHAR ||
             u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) &&
            !(c >= 0x200C && c <= 0x200F));
  };
  int differences = 0;
  for (char32_t c = 0x20; c < 0x30000; ++c) {
    bool expected = mapped.count(c) == 1 && !excluded(c);
    if (IsInRecordFont(c) != expected && ++differences <= 10) {
      CAPTURE(static_cast<unsigned>(c));
      CHECK(IsInRecordFont(c) == expected);
    }
  }
  CHECK(differences == 0);
}

TEST_CASE("LabelTooLong") {
  std::string xml =
      Replace(kValid, "<label>Signature</label>", "<label>" + std::string(501, 'x') + "</label>");
  CHECK(MatchError(xml,
                   "t.xml:20:69: <label>: text in <label> is 501 characters long; expected at "
                   "most 500 characters") == "OK");
}

TEST_CASE("ScreeningSectionWithoutQuestion") {
  std::string xml = Replace(
      kValid, R"(<question id="acne" type="yesno" required="true"><label>Acne?</label></question>
    <question id="skin" type="choice"><label>Skin type</label><option value="I">One</option><option value="II">Two</option></question>)",
      "");
  LoadResult result = LoadFormFromMemory(xml, "t.xml");
  REQUIRE_FALSE(result.ok());
  CHECK(result.errors[0].ToString() ==
        "t.xml:11:3: <section id=\"screen\">: screening section has "
        "no <question>; expected at least one <question>");
}

TEST_CASE("CommentInsideTextKeepsTheSpace") {
  std::string xml = Replace(kValid, "Your skin may go red.", "Your skin <!-- note --> may go red.");
  LoadResult a = LoadFormFromMemory(kValid, "a.xml");
  LoadResult b = LoadFormFromMemory(xml, "b.xml");
  REQUIRE((a.ok() && b.ok()));
  CHECK(b.form->Risks()[0]->description == "Your skin may go red.");
  CHECK(a.form->sha256_hex == b.form->sha256_hex);
}

}  // namespace
}  // namespace consentkit

namespace consentkit {
namespace {

TEST_CASE("EachExtraTitleIsReportedOnce") {
  std::string xml = Replace(kValid, "<title>Test consent</title>",
                            "<title>A</title><title>B</title><title>C</title>");
  LoadResult result = LoadFormFromMemory(xml, "t.xml");
  REQUIRE(result.errors.size() == 2);
  CHECK(result.errors[0].ToString() ==
        "t.xml:3:19: <title>: another <title> in <form>; expected exactly one <title>");
  CHECK(result.errors[1].ToString() ==
        "t.xml:3:35: <title>: another <title> in <form>; expected exactly one <title>");
}

TEST_CASE("BadSectionKindDoesNotCascade") {
  std::string xml = Replace(kValid, R"(<section id="sign" kind="fields">)",
                            R"(<section id="sign" kind="feilds">)");
  CHECK(MatchError(xml,
                   "t.xml:18:22: <section id=\"sign\">: invalid kind \"feilds\"; expected one "
                   "of info, risks, screening, fields") == "OK");
}

TEST_CASE("BadFieldTypeDoesNotCascade") {
  std::string xml = Replace(kValid, R"(<question id="skin" type="choice">)",
                            R"(<question id="skin" type="choise">)");
  CHECK(MatchError(xml,
                   "t.xml:14:25: <question id=\"skin\">: invalid type \"choise\"; expected one "
                   "of yesno, choice, multichoice") == "OK");
}

TEST_CASE("ConditionCycle") {
  std::string xml = Replace(kValid, R"(<question id="acne" type="yesno" required="true">)",
                            R"(<question id="acne" type="yesno" when="other" equals="yes">)");
  xml = Replace(xml, R"(<field id="acne-detail" type="textarea" when="acne" equals="yes">)",
                R"(<question id="other" type="yesno" when="acne" equals="no">)");
  xml = Replace(xml, "<label>Tell us more</label></field>", "<label>Other?</label></question>");
  CHECK(MatchError(xml,
                   "t.xml:13:38: <question id=\"acne\">: conditions form a cycle: acne -> "
                   "other -> acne; expected conditions that end at a question that is always "
                   "shown") == "OK");
}

TEST_CASE("TooDeeplyNested") {
  std::string xml = "<form>";
  for (int i = 0; i < 500; ++i) xml += "<a>";
  LoadResult result = LoadFormFromMemory(xml, "deep.xml");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].message == "malformed XML: elements are nested too deeply");
}

TEST_CASE("PractitionerSignatureOnThePatientsForm") {
  std::string xml = Replace(kValid, R"(<field id="sig" type="signature" role="patient")",
                            R"(<field id="sig" type="signature" role="practitioner")");
  std::string patient =
      R"(<field id="p" type="signature" role="patient" required="true"><label>Me</label></field>)";
  xml = Replace(xml, "</section>\n</form>", patient + "</section>\n</form>");
  CHECK(MatchError(xml,
                   R"(t.xml:20:38: <field id="sig">: a practitioner signature on the patient's )"
                   R"(form; expected no practitioner fields; put countersign="practitioner" on )"
                   R"(<form>: the practitioner signs at review, signed in as themselves)") == "OK");
}

TEST_CASE("CountersignIsLoadedAndHashed") {
  std::string xml = Replace(kValid, R"(lang="en">)", R"(lang="en" countersign="practitioner">)");
  LoadResult loaded = LoadFormFromMemory(xml, "t.xml");
  REQUIRE(loaded.ok());
  CHECK(loaded.form->countersign == SignerRole::kPractitioner);
  CHECK(loaded.form->sha256_hex != LoadFormFromMemory(kValid, "t.xml").form->sha256_hex);
}

TEST_CASE("UnknownCountersignRole") {
  std::string xml = Replace(kValid, R"(lang="en">)", R"(lang="en" countersign="witness">)");
  CHECK(MatchError(xml, R"(t.xml:2:51: <form id="t">: invalid countersign "witness"; expected )"
                        R"(one of practitioner)") == "OK");
}

TEST_CASE("PrefillOnAFieldOfTheWrongType") {
  std::string xml = Replace(kValid, R"(<field id="acne-detail" type="textarea")",
                            R"(<field id="acne-detail" type="textarea" prefill="patient-name")");
  CHECK(MatchError(xml, R"(t.xml:15:45: <field id="acne-detail">: prefill="patient-name" on a )"
                        R"(textarea field; expected type="text")") == "OK");
}

TEST_CASE("UnknownPrefill") {
  std::string xml = Replace(kValid, R"(<field id="acne-detail" type="textarea")",
                            R"(<field id="acne-detail" type="textarea" prefill="patient-age")");
  CHECK(MatchError(xml, R"(t.xml:15:45: <field id="acne-detail">: invalid prefill "patient-age"; )"
                        R"(expected one of patient-name, patient-date-of-birth, patient-number)") ==
        "OK");
}

TEST_CASE("PrefillChangesTheHash") {
  std::string xml = Replace(kValid, R"(<field id="acne-detail" type="textarea")",
                            R"(<field id="acne-detail" type="text" prefill="patient-name")");
  std::string plain = Replace(kValid, R"(<field id="acne-detail" type="textarea")",
                              R"(<field id="acne-detail" type="text")");
  CHECK(LoadFormFromMemory(xml, "t.xml").form->sha256_hex !=
        LoadFormFromMemory(plain, "t.xml").form->sha256_hex);
}

TEST_CASE("AnAuthorsMaxLengthIsLoadedAndHashedOnlyWhenGiven") {
  std::string xml = Replace(kValid, R"(<field id="acne-detail" type="textarea")",
                            R"(<field id="acne-detail" type="textarea" max-length="5")");
  LoadResult limited = LoadFormFromMemory(xml, "t.xml");
  LoadResult plain = LoadFormFromMemory(kValid, "t.xml");
  REQUIRE((limited.ok() && plain.ok()));
  const Field* detail = limited.form->FindField("acne-detail");
  CHECK(detail->max_length == std::optional<std::size_t>(5));
  CHECK(MaxLengthOf(*detail) == 5);
  // Unset: the type's own limit, and the canonical text says nothing of it,
  // so every definition written before max-length keeps its hash.
  CHECK_FALSE(plain.form->FindField("acne-detail")->max_length);
  CHECK(MaxLengthOf(*plain.form->FindField("acne-detail")) == kMaxTextLength);
  CHECK(MaxLengthOf(*plain.form->FindField("redness-initials")) == kMaxInitialsLength);
  CHECK(MaxLengthOf(*plain.form->FindField("sig")) == 0);
  CHECK(CanonicalText(*plain.form).find("max-length") == std::string::npos);
  CHECK(CanonicalText(*limited.form).find(" max-length=5") != std::string::npos);
  CHECK(limited.form->sha256_hex != plain.form->sha256_hex);
  // The type's own limit is allowed, and is still the author's (hashed).
  LoadResult at_limit =
      LoadFormFromMemory(Replace(kValid, R"(<field id="acne-detail" type="textarea")",
                                 R"(<field id="acne-detail" type="textarea" max-length="2000")"),
                         "t.xml");
  REQUIRE(at_limit.ok());
  CHECK(at_limit.form->sha256_hex != plain.form->sha256_hex);
}

TEST_CASE("MaxLengthOnEveryTextType") {
  for (const char* type : {"text", "textarea", "email", "phone", "initials"}) {
    CAPTURE(type);
    std::string xml =
        Replace(kValid, R"(<field id="acne-detail" type="textarea")",
                std::string(R"(<field id="acne-detail" max-length="3" type=")") + type + "\"");
    LoadResult result = LoadFormFromMemory(xml, "t.xml");
    REQUIRE(result.ok());
    CHECK(MaxLengthOf(*result.form->FindField("acne-detail")) == 3);
  }
}

TEST_CASE("MaxLengthThatIsNotAPositiveWholeNumberWithinTheTypesLimit") {
  const std::string text_range =
      "expected a whole number from 1 to 2000 (the textarea type's own limit)";
  for (const char* bad : {"abc", "0", "05", "-1", "+5", "5.0", " 5", "", "2001", "99999999999"}) {
    CAPTURE(bad);
    std::string xml = Replace(
        kValid, R"(<field id="acne-detail" type="textarea")",
        std::string(R"(<field id="acne-detail" type="textarea" max-length=")") + bad + "\"");
    CHECK(MatchError(xml, std::string(R"(t.xml:15:45: <field id="acne-detail">: invalid )") +
                              "max-length \"" + bad + "\"; " + text_range) == "OK");
  }
  std::string initials = Replace(kValid, R"(<field id="acne-detail" type="textarea")",
                                 R"(<field id="acne-detail" type="initials" max-length="5")");
  CHECK(MatchError(initials, R"(t.xml:15:45: <field id="acne-detail">: invalid max-length "5"; )"
                             R"(expected a whole number from 1 to 4 (the initials type's own )"
                             R"(limit))") == "OK");
}

TEST_CASE("MaxLengthOnAFieldThatIsNotText") {
  std::string xml = Replace(kValid, R"(<field id="sig" type="signature")",
                            R"(<field id="sig" type="signature" max-length="5")");
  CHECK(MatchError(xml, R"(t.xml:20:38: <field id="sig">: max-length on a signature field; )"
                        R"(expected max-length only on type="text", "textarea", "email", )"
                        R"("phone" or "initials")") == "OK");
  std::string question = Replace(kValid, R"(<question id="acne" type="yesno")",
                                 R"(<question id="acne" type="yesno" max-length="5")");
  CHECK(MatchError(question, R"(t.xml:13:38: <question id="acne">: max-length on a yesno field; )"
                             R"(expected max-length only on type="text", "textarea", "email", )"
                             R"("phone" or "initials")") == "OK");
}

TEST_CASE("MaxLengthOnAPrefilledField") {
  std::string xml =
      Replace(kValid, R"(<field id="acne-detail" type="textarea")",
              R"(<field id="acne-detail" type="text" prefill="patient-name" max-length="9")");
  CHECK(MatchError(xml, R"(t.xml:15:64: <field id="acne-detail">: max-length on a prefilled )"
                        R"(field; expected no max-length with prefill=: the visit's value is )"
                        R"(taken as it is)") == "OK");
}

}  // namespace
}  // namespace consentkit
