// One case per way a submission can be wrong, and the screening outcomes.
#include "submission/submission.h"

#include <doctest/doctest.h>

#include <stdexcept>

namespace consentkit {
namespace {

const char kForm[] = R"(<form id="f" version="2" kind="consent" lang="en">
  <title>Test</title>
  <section id="r" kind="risks"><heading>Risks</heading>
    <risk id="redness"><title>Redness</title><description>Skin goes red.</description></risk>
  </section>
  <section id="q" kind="screening"><heading>Health</heading>
    <question id="acne" type="yesno" required="true"><label>Acne?</label></question>
    <field id="acne-detail" type="textarea" required="true" when="acne" equals="yes"><label>Where?</label></field>
    <question id="skin" type="choice" required="true"><label>Skin</label>
      <option value="I">One</option><option value="II">Two</option><option value="V">Five</option></question>
    <question id="goals" type="multichoice" required="true"><label>Goals</label>
      <option value="scars">Scars</option><option value="lines">Lines</option><option value="other">Other</option></question>
    <question id="goals-sun" type="yesno" when="goals" equals="other"><label>Sun damage?</label></question>
    <rule when="acne" equals="yes" outcome="defer">Active acne: wait until it settles.</rule>
    <rule when="skin" equals="V" outcome="practitioner-review">Type V skin: pigment risk.</rule>
    <rule when="goals-sun" equals="yes" outcome="practitioner-review">Sun damage: assess first.</rule>
  </section>
  <section id="s" kind="fields"><heading>Sign</heading>
    <field id="dob" type="date" required="true"><label>Date of birth</label></field>
    <field id="email" type="email"><label>Email</label></field>
    <field id="phone" type="phone"><label>Phone</label></field>
    <field id="sig" type="signature" role="patient" required="true"><label>Signature</label></field>
  </section>
</form>)";

FormPtr Form() {
  static FormPtr form = LoadFormFromMemory(kForm, "f.xml").form;
  REQUIRE(static_cast<bool>(form));
  return form;
}

Signature Drawn() {
  Signature s;
  s.pad_width = 600;
  s.pad_height = 200;
  s.strokes = {{{20, 150, 0}, {120, 60, 80}, {260, 140, 160}}, {{300, 100, 0}, {420, 90, 50}}};
  return s;
}

Submission Valid() {
  Submission s;
  s.uuid = "5b0d3c1e-6f0a-4b8e-9a57-2f4f3f1c2a10";
  s.form_id = "f";
  s.form_version = "2";
  s.form_sha256 = Form()->sha256_hex;
  s.language = "en";
  s.values = {{"redness-understood", true},
              {"redness-initials", std::string("ZM")},
              {"acne", std::string("no")},
              {"skin", std::string("II")},
              {"goals", std::vector<std::string>{"scars"}},
              {"dob", std::string("1990-02-28")},
              {"sig", Drawn()}};
  return s;
}

// "OK" if validation gives exactly this one error, else all errors found.
std::string MatchError(const Submission& s, const std::string& field, const std::string& message) {
  auto errors = ValidateSubmission(Form(), s).errors();
  if (errors.size() == 1 && errors[0].field_id == field && errors[0].message == message)
    return "OK";
  std::string all;
  for (const auto& e : errors) all += e.field_id + ": " + e.message + "\n";
  return all.empty() ? "(no errors)" : all;
}

// `s` as validated against Form(), for screening it; fails the test if it
// is not valid.
ValidSubmission Checked(const Submission& s) {
  ValidationResult checked = ValidateSubmission(Form(), s);
  for (const auto& e : checked.errors()) FAIL_CHECK(e.field_id << ": " << e.message);
  REQUIRE(checked.ok());
  return std::move(checked).value();
}

TEST_CASE("ValidSubmissionPasses") {
  CHECK(ValidateSubmission(Form(), Valid()).ok());
  ScreeningResult result = Screen(Checked(Valid()));
  CHECK(result.outcome == Outcome::kSuitable);
  CHECK(result.reasons.empty());
}

TEST_CASE("AValidSubmissionCarriesWhatWasChecked") {
  ValidationResult checked = ValidateSubmission(Form(), Valid());
  REQUIRE(checked.ok());
  CHECK(checked.errors().empty());
  const ValidSubmission& valid = checked.value();
  CHECK((valid.form_ptr() == Form()));
  CHECK((&valid.form() == Form().get()));
  CHECK(valid.uuid() == Valid().uuid);
  CHECK(valid.language() == "en");
  CHECK(valid.values().size() == Valid().values.size());
  CHECK(valid.submission().form_sha256 == Form()->sha256_hex);
  CHECK(valid.witness() == WitnessStep::kLocked);
}

TEST_CASE("AValidSubmissionKeepsItsFormAlive") {
  FormPtr form = LoadFormFromMemory(kForm, "f.xml").form;
  REQUIRE(static_cast<bool>(form));
  ValidationResult checked = ValidateSubmission(form, Valid());
  REQUIRE(checked.ok());
  ValidSubmission kept = std::move(checked).value();
  form.reset();  // the service reloaded its forms, say
  CHECK(kept.form().id == "f");
  CHECK(kept.form().FindField("acne") != nullptr);
  CHECK(Screen(kept).outcome == Outcome::kSuitable);
}

TEST_CASE("AnInvalidSubmissionHasNoValue") {
  Submission s = Valid();
  s.values.erase("dob");
  ValidationResult checked = ValidateSubmission(Form(), s);
  CHECK_FALSE(checked.ok());
  CHECK_THROWS_WITH_AS(checked.value(), "not a valid submission: dob is required",
                       std::logic_error);
  CHECK_THROWS_AS(ValidateSubmission(nullptr, s), std::invalid_argument);
}

TEST_CASE("IdMustBeAUuid") {
  Submission s = Valid();
  s.uuid = "";
  CHECK(MatchError(s, "id", "is not a UUID; expected 8-4-4-4-12 hex digits") == "OK");
  s.uuid = "5b0d3c1e-6f0a-4b8e-9a57-2f4f3f1c2a1";  // a digit short
  CHECK(MatchError(s, "id", "is not a UUID; expected 8-4-4-4-12 hex digits") == "OK");
  s.uuid = "5B0D3C1E-6F0A-4B8E-9A57-2F4F3F1C2A10";
  CHECK(ValidateSubmission(Form(), s).ok());
}

TEST_CASE("LanguageMustBeTheForms") {
  Submission s = Valid();
  s.language = "fr";
  CHECK(MatchError(s, "language", "is \"fr\"; this form is shown in \"en\" only") == "OK");
  s.language = "";  // not given: the form's own
  CHECK(ValidateSubmission(Form(), s).ok());
}

TEST_CASE("AFieldsOwnMaxLengthApplies") {
  Field text;
  text.id = "nickname";
  text.type = FieldType::kText;
  CHECK(CheckTextValue(text, std::string(kMaxTextLength, 'a')).empty());
  CHECK(CheckTextValue(text, std::string(kMaxTextLength + 1, 'a')) ==
        "is " + std::to_string(kMaxTextLength + 1) + " characters; expected at most " +
            std::to_string(kMaxTextLength));
  text.max_length = 5;
  CHECK(CheckTextValue(text, "Zoë M").empty());
  CHECK(CheckTextValue(text, "Zoë Muñoz") == "is 9 characters; expected at most 5");
  Field initials;
  initials.id = "ok";
  initials.type = FieldType::kInitials;
  CHECK(CheckTextValue(initials, "ZMMM").empty());
  initials.max_length = 2;
  CHECK(CheckTextValue(initials, "ZMM") == "is longer than 2 characters; expected initials");
  // A date's format bounds it; the ceiling of any text still applies first.
  Field date;
  date.id = "dob";
  date.type = FieldType::kDate;
  CHECK(CheckTextValue(date, std::string(kMaxTextLength + 1, '1')) ==
        "is " + std::to_string(kMaxTextLength + 1) + " characters; expected at most " +
            std::to_string(kMaxTextLength));
}

TEST_CASE("EveryMissingRequiredFieldIsListed") {
  Submission s = Valid();
  s.values.clear();
  auto errors = ValidateSubmission(Form(), s).errors();
  std::vector<std::string> ids;
  for (const auto& e : errors) ids.push_back(e.field_id);
  CHECK(ids == std::vector<std::string>{"redness-understood", "redness-initials", "acne", "skin",
                                        "goals", "dob", "sig"});
  CHECK(errors[0].message == "is required");
}

TEST_CASE("UnknownField") {
  Submission s = Valid();
  s.values["shoe-size"] = std::string("9");
  CHECK(MatchError(s, "shoe-size", "is not a field of f") == "OK");
}

TEST_CASE("OutdatedVersion") {
  Submission s = Valid();
  s.form_version = "1";
  CHECK(MatchError(s, "form.version",
                   "version \"1\" (sha256 " + Form()->ShortHash() +
                       ") is not the current definition; expected version "
                       "\"2\" (sha256 " +
                       Form()->ShortHash() + "): reload the form") == "OK");
}

TEST_CASE("SameVersionOtherWording") {
  Submission s = Valid();
  s.form_sha256 = std::string(64, '0');
  auto errors = ValidateSubmission(Form(), s).errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field_id == "form.version");
}

TEST_CASE("ConditionalFieldRequiredOnlyWhenRelevant") {
  Submission s = Valid();
  s.values["acne"] = std::string("yes");
  CHECK(MatchError(s, "acne-detail", "is required") == "OK");
  s.values["acne-detail"] = std::string("Chin\nand forehead");
  CHECK(ValidateSubmission(Form(), s).ok());
}

TEST_CASE("AnsweredButNotAsked") {
  Submission s = Valid();
  s.values["acne-detail"] = std::string("Chin");
  // It names the question and answer as the patient read them, not by id.
  CHECK(MatchError(s, "acne-detail",
                   "is answered but only asked when the answer to \"Acne?\" is \"Yes\"") == "OK");
}

TEST_CASE("ChoiceOutsideOptions") {
  Submission s = Valid();
  s.values["skin"] = std::string("VII");
  CHECK(MatchError(s, "skin", "\"VII\" is not allowed; expected one of \"I\", \"II\", \"V\"") ==
        "OK");
}

TEST_CASE("YesNoOutsideOptions") {
  Submission s = Valid();
  s.values["acne"] = std::string("maybe");
  CHECK(MatchError(s, "acne", "\"maybe\" is not allowed; expected \"yes\" or \"no\"") == "OK");
}

TEST_CASE("MultichoiceDuplicatesAndUnknownValues") {
  Submission s = Valid();
  s.values["goals"] = std::vector<std::string>{"scars", "scars"};
  CHECK(MatchError(s, "goals", "\"scars\" is given twice") == "OK");
  s.values["goals"] = std::vector<std::string>{"tattoo"};
  CHECK(MatchError(s, "goals",
                   "\"tattoo\" is not allowed; expected one of \"scars\", \"lines\", "
                   "\"other\"") == "OK");
  s.values["goals"] = std::vector<std::string>{};
  CHECK(MatchError(s, "goals", "is required") == "OK");
}

TEST_CASE("ConditionOnAMultichoiceOption") {
  Submission s = Valid();
  s.values["goals-sun"] = std::string("yes");
  CHECK(MatchError(s, "goals-sun",
                   "is answered but only asked when the answer to \"Goals\" is \"Other\"") == "OK");
  s.values["goals"] = std::vector<std::string>{"scars", "other"};
  CHECK(ValidateSubmission(Form(), s).ok());
}

TEST_CASE("WrongKindOfValue") {
  Submission s = Valid();
  s.values["dob"] = true;
  CHECK(MatchError(s, "dob", "expected text") == "OK");
  s = Valid();
  s.values["redness-understood"] = std::string("yes");
  CHECK(MatchError(s, "redness-understood", "expected true or false") == "OK");
}

TEST_CASE("InvalidDates") {
  Submission s = Valid();
  s.values["dob"] = std::string("2023-02-29");
  CHECK(MatchError(s, "dob", "\"2023-02-29\" is not a date; expected YYYY-MM-DD") == "OK");
  s.values["dob"] = std::string("29/02/2024");
  CHECK(MatchError(s, "dob", "\"29/02/2024\" is not a date; expected YYYY-MM-DD") == "OK");
  s.values["dob"] = std::string("2024-02-29");
  CHECK(ValidateSubmission(Form(), s).ok());
}

TEST_CASE("InvalidEmailAndPhone") {
  Submission s = Valid();
  s.values["email"] = std::string("zoe@clinic");
  CHECK(MatchError(s, "email", "\"zoe@clinic\" is not an e-mail address") == "OK");
  s = Valid();
  s.values["phone"] = std::string("call me");
  CHECK(MatchError(s, "phone", "is not a phone number; expected at least 7 digits") == "OK");
  s.values["phone"] = std::string("+1 (207) 555-0142");
  s.values["email"] = std::string("zoe.munoz@example.org");
  CHECK(ValidateSubmission(Form(), s).ok());
}

TEST_CASE("RiskNotTicked") {
  Submission s = Valid();
  s.values["redness-understood"] = false;
  CHECK(MatchError(s, "redness-understood", "must be ticked to confirm it is understood") == "OK");
}

TEST_CASE("InitialsTooLong") {
  Submission s = Valid();
  s.values["redness-initials"] = std::string("Zoë Muñoz");
  CHECK(MatchError(s, "redness-initials", "is longer than 4 characters; expected initials") ==
        "OK");
}

TEST_CASE("ControlCharactersAndBadUtf8") {
  Submission s = Valid();
  s.values["redness-initials"] = std::string("Z\x01");
  CHECK(MatchError(s, "redness-initials", "contains a control character") == "OK");
  s.values["redness-initials"] = std::string("Z\xC3");
  CHECK(MatchError(s, "redness-initials", "is not valid UTF-8 text") == "OK");
}

TEST_CASE("SignatureThatIsADot") {
  Submission s = Valid();
  Signature dot = Drawn();
  dot.strokes = {{{100, 100, 0}, {101, 101, 10}}};
  s.values["sig"] = dot;
  CHECK(MatchError(s, "sig", "is too small to be a signature; please sign again") == "OK");
}

TEST_CASE("TextTheRecordCannotPrint") {
  Submission s = Valid();
  // No face of the font chain has it: the message shows it, and where.
  s.values["redness-initials"] = std::string("Z\xF0\x9F\x98\x80");  // an emoji
  CHECK(MatchError(s, "redness-initials",
                   "contains \"\xF0\x9F\x98\x80\" (U+1F600, character 2), which no font can "
                   "print in the signed record; expected letters, digits and punctuation in any "
                   "script") == "OK");
  s.values["redness-initials"] = std::string("Z\xEE\x80\x80");  // private use
  CHECK(MatchError(s, "redness-initials",
                   "contains \"\xEE\x80\x80\" (U+E000, character 2), which no font can "
                   "print in the signed record; expected letters, digits and punctuation in any "
                   "script") == "OK");
  // Cyrillic, Arabic and Chinese print (scripts_test.cc: every script).
  for (const char* text : {"\xD0\x98\xD0\xB2", "\xD9\x85\xD8\xAD", "\xE7\x8E\x8B"}) {
    s.values["redness-initials"] = std::string(text);
    CHECK(ValidateSubmission(Form(), s).ok());
  }
  s.values["redness-initials"] = std::string("ZŁ\xE2\x80\x9C");
  CHECK(ValidateSubmission(Form(), s).ok());
}

TEST_CASE("TextThatPrintsAsNothingOrReordersIsRefused") {
  Submission s = Valid();
  // Invisible or only spaces (a zero-width space, an ideographic space, a
  // direction mark): the answer would print blank, so it answers nothing.
  for (std::string blank : {"\u200B", "\u3000", "\u200F ", "\u00A0\u2003"}) {
    CAPTURE(blank);
    s.values["redness-initials"] = blank;
    CHECK(MatchError(s, "redness-initials", "is required") == "OK");
  }
  // Not alone either: nothing would show where it is.
  s.values["redness-initials"] = std::string("Z\u200BM");
  CHECK(MatchError(s, "redness-initials",
                   "contains \"\u200B\" (U+200B, character 2), which no font can print in the "
                   "signed record; expected letters, digits and punctuation in any script") ==
        "OK");
  // A right-to-left override would print "MZ" for a stored "ZM".
  s.values["redness-initials"] = std::string("\u202EZM");
  CHECK(MatchError(s, "redness-initials",
                   "contains \"\u202E\" (U+202E, character 1), which no font can print in the "
                   "signed record; expected letters, digits and punctuation in any script") ==
        "OK");
  // The zero-width joiner is spelling in Devanagari (and Persian): kept.
  s.values["redness-initials"] = std::string("\u0915\u094D\u200D\u0937");
  CHECK(ValidateSubmission(Form(), s).ok());
}

TEST_CASE("SignatureOutsideItsPad") {
  Submission s = Valid();
  Signature wild = Drawn();
  wild.strokes[0][1].x = 900;
  s.values["sig"] = wild;
  CHECK(MatchError(s, "sig", "has a point outside the pad") == "OK");
}

TEST_CASE("SignatureWithoutPadSize") {
  Submission s = Valid();
  Signature unsized = Drawn();
  unsized.pad_width = 0;
  s.values["sig"] = unsized;
  CHECK(MatchError(s, "sig",
                   "has a pad size of 0 x " + std::to_string(int(unsized.pad_height)) +
                       "; expected 10 to 10000 pixels each way") == "OK");
  // A pad so small its strokes would scale past float range in the PDF.
  Signature tiny = Drawn();
  tiny.pad_width = tiny.pad_height = 1e-38f;
  for (auto& stroke : tiny.strokes) {
    for (auto& p : stroke) p.x = p.y = 0;
  }
  s.values["sig"] = tiny;
  CHECK(MatchError(s, "sig",
                   "has a pad size of 1e-38 x 1e-38; expected 10 to 10000 pixels each way") ==
        "OK");
}

TEST_CASE("SignatureTimeRunsBackwards") {
  Submission s = Valid();
  Signature odd = Drawn();
  odd.strokes[0][2].t_ms = 1;
  s.values["sig"] = odd;
  CHECK(MatchError(s, "sig", "has a stroke whose time runs backwards") == "OK");
}

TEST_CASE("ScreeningTakesTheMostCautiousOutcomeWithEveryReason") {
  Submission s = Valid();
  s.values["skin"] = std::string("V");
  CHECK(Screen(Checked(s)).outcome == Outcome::kPractitionerReview);
  s.values["acne"] = std::string("yes");
  s.values["acne-detail"] = std::string("Chin");
  ScreeningResult result = Screen(Checked(s));
  CHECK(result.outcome == Outcome::kDefer);
  CHECK(result.reasons == std::vector<std::string>{"Active acne: wait until it settles.",
                                                   "Type V skin: pigment risk."});
}

TEST_CASE("ScreeningIgnoresQuestionsNotAsked") {
  Submission s = Valid();
  s.values["goals"] = std::vector<std::string>{"other"};
  s.values["goals-sun"] = std::string("yes");
  CHECK(Screen(Checked(s)).outcome == Outcome::kPractitionerReview);
  s.values["goals"] = std::vector<std::string>{"scars"};  // goals-sun no longer asked
  // Its answer cannot reach Screen: only a valid submission is screened,
  // and validation refuses an answer to a question not asked.
  CHECK(MatchError(s, "goals-sun",
                   "is answered but only asked when the answer to \"Goals\" is \"Other\"") == "OK");
  s.values.erase("goals-sun");
  CHECK(Screen(Checked(s)).outcome == Outcome::kSuitable);
}

const char kWitnessForm[] = R"(<form id="w" version="1" kind="intake" lang="en">
  <title>Witnessed</title>
  <section id="s" kind="fields"><heading>Sign</heading>
    <field id="sig" type="signature" role="patient" required="true"><label>Signature</label></field>
    <field id="wname" type="text" role="witness"><label>Witness name</label></field>
    <field id="wsig" type="signature" role="witness" required="true"><label>Witness</label></field>
  </section>
</form>)";

TEST_CASE("WitnessValuesNeedTheStepUnlocked") {
  FormPtr form = LoadFormFromMemory(kWitnessForm, "w.xml").form;
  REQUIRE(static_cast<bool>(form));
  Submission s;
  s.uuid = "5b0d3c1e-6f0a-4b8e-9a57-2f4f3f1c2a10";
  s.form_id = "w";
  s.form_version = "1";
  s.form_sha256 = form->sha256_hex;
  s.values = {{"sig", Drawn()}};
  // Locked: the required witness signature cannot be given yet, and says so.
  auto errors = ValidateSubmission(form, s).errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field_id == "wsig");
  CHECK(errors[0].message.find("is required from a witness, and the witness step of this form "
                               "is locked") == 0);
  s.values["wname"] = std::string("Rui Costa");
  s.values["wsig"] = Drawn();
  errors = ValidateSubmission(form, s).errors();
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].field_id == "wname");
  CHECK(errors[0].message.find("is the witness's, and the witness step of this form is locked") ==
        0);
  ValidationResult unlocked = ValidateSubmission(form, s, WitnessStep::kUnlocked);
  CHECK(unlocked.ok());
  CHECK(unlocked.value().witness() == WitnessStep::kUnlocked);
  s.values.erase("wsig");
  errors = ValidateSubmission(form, s, WitnessStep::kUnlocked).errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "is required");
}

}  // namespace
}  // namespace consentkit

namespace consentkit {
namespace {

// ---- Messages in the submission's language ------------------------------

const char kBilingualForm[] = R"(<form id="b" version="1" kind="intake" lang="en" languages="en es">
  <title>Health<text lang="es">Salud</text></title>
  <section id="q" kind="screening"><heading>Health<text lang="es">Salud</text></heading>
    <question id="acne" type="yesno" required="true"><label>Acne?<text lang="es">¿Tiene acné?</text></label></question>
    <field id="acne-detail" type="text" when="acne" equals="yes"><label>Where?<text lang="es">¿Dónde?</text></label></field>
    <question id="skin" type="choice"><label>Skin<text lang="es">Piel</text></label>
      <option value="I">One<text lang="es">Uno</text></option><option value="II">Two<text lang="es">Dos</text></option></question>
  </section>
  <section id="s" kind="fields"><heading>Sign<text lang="es">Firma</text></heading>
    <field id="dob" type="date" required="true"><label>Date of birth<text lang="es">Fecha de nacimiento</text></label></field>
    <field id="email" type="email"><label>Email<text lang="es">Correo electrónico</text></label></field>
    <field id="phone" type="phone"><label>Phone<text lang="es">Teléfono</text></label></field>
    <field id="sig" type="signature" role="patient" required="true"><label>Signature<text lang="es">Firma</text></label></field>
  </section>
</form>)";

FormPtr Bilingual() {
  static FormPtr form = [] {
    LoadResult loaded = LoadFormFromMemory(kBilingualForm, "b.xml");
    for (const Diagnostic& d : loaded.errors) MESSAGE(d.line << ": " << d.message);
    return loaded.form;
  }();
  REQUIRE(static_cast<bool>(form));
  return form;
}

Submission SpanishValid() {
  Submission s;
  s.uuid = "5b0d3c1e-6f0a-4b8e-9a57-2f4f3f1c2a10";
  s.form_id = "b";
  s.form_version = "1";
  s.form_sha256 = Bilingual()->sha256_hex;
  s.language = "es";
  s.values = {{"acne", std::string("no")}, {"dob", std::string("1990-02-28")}, {"sig", Drawn()}};
  return s;
}

// The one error of `s` against the bilingual form, as "id: message".
std::string OnlyError(const Submission& s) {
  auto errors = ValidateSubmission(Bilingual(), s).errors();
  std::string all;
  for (const auto& e : errors) all += (all.empty() ? "" : " | ") + e.field_id + ": " + e.message;
  return errors.size() == 1 ? all : "(" + std::to_string(errors.size()) + " errors) " + all;
}

TEST_CASE("a Spanish submission's field errors are in Spanish, field ids unchanged") {
  REQUIRE(ValidateSubmission(Bilingual(), SpanishValid()).ok());
  Submission s = SpanishValid();
  s.values.erase("dob");
  CHECK(OnlyError(s) == "dob: Esta respuesta es obligatoria.");
  s = SpanishValid();
  s.values["dob"] = std::string("29/02/2024");
  CHECK(OnlyError(s) == "dob: «29/02/2024» no es una fecha; se esperaba AAAA-MM-DD.");
  s = SpanishValid();
  s.values["email"] = std::string("zoe@clinica");
  CHECK(OnlyError(s) == "email: «zoe@clinica» no es una dirección de correo electrónico.");
  s = SpanishValid();
  s.values["phone"] = std::string("12");
  CHECK(OnlyError(s) == "phone: No es un número de teléfono; escriba al menos 7 cifras.");
  s = SpanishValid();
  s.values["skin"] = std::string("VII");
  CHECK(OnlyError(s) ==
        "skin: «VII» no es una respuesta posible; se esperaba una de estas: «I», «II».");
  s = SpanishValid();
  s.values["acne"] = std::string("quizá");
  CHECK(OnlyError(s) == "acne: «quizá» no es una respuesta posible; se esperaba «yes» o «no».");
  s = SpanishValid();
  s.values["email"] = std::string(300, 'a');
  CHECK(OnlyError(s) == "email: Tiene 300 caracteres; como máximo se admiten 254.");
}

TEST_CASE("a Spanish refusal names the other question and answer in Spanish") {
  Submission s = SpanishValid();
  s.values["acne-detail"] = std::string("Barbilla");
  CHECK(OnlyError(s) ==
        "acne-detail: Tiene respuesta, pero solo se pregunta si la respuesta a «¿Tiene acné?» "
        "es «Sí».");
  s.language = "en";
  CHECK(OnlyError(s) ==
        "acne-detail: is answered but only asked when the answer to \"Acne?\" is \"Yes\"");
}

TEST_CASE("a Spanish signature too small is asked for again in Spanish") {
  Submission s = SpanishValid();
  Signature dot = Drawn();
  dot.strokes = {{{100, 100, 0}, {101, 100, 10}}};
  s.values["sig"] = dot;
  CHECK(OnlyError(s) == "sig: La firma es demasiado pequeña. Firme de nuevo, por favor.");
  s.values["sig"] = std::string("firma");
  CHECK(OnlyError(s) == "sig: Se esperaba una firma dibujada.");
}

TEST_CASE("without a language the form's own decides; a regional tag finds its catalog") {
  Submission s = SpanishValid();
  s.values.erase("dob");
  s.language = "";
  CHECK(OnlyError(s) == "dob: is required");  // the form's default, English
  FormPtr spanish_only =
      LoadFormFromMemory(
          R"(<form id="e" version="1" kind="intake" lang="es"><title>Salud</title>
  <section id="s" kind="fields"><heading>Datos</heading>
    <field id="dob" type="date" required="true"><label>Fecha de nacimiento</label></field>
  </section></form>)",
          "e.xml")
          .form;
  REQUIRE(static_cast<bool>(spanish_only));
  Submission e;
  e.uuid = s.uuid;
  e.form_id = "e";
  e.form_version = "1";
  e.form_sha256 = spanish_only->sha256_hex;
  auto errors = ValidateSubmission(spanish_only, e).errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "Esta respuesta es obligatoria.");
}

TEST_CASE("the checks callers reuse word their messages in the catalog given") {
  Field date;
  date.id = "d";
  date.type = FieldType::kDate;
  CHECK(CheckTextValue(date, "mañana") == "\"mañana\" is not a date; expected YYYY-MM-DD");
  CHECK(CheckTextValue(date, "mañana", Catalog::For("es")) ==
        "«mañana» no es una fecha; se esperaba AAAA-MM-DD.");
  Signature blank;
  CHECK(CheckSignatureValue(blank, Catalog::For("es")).find("El área de firma mide 0 x 0") == 0);
}

TEST_CASE("every field error reads the same keys in every language") {
  // i18n_test holds the catalogs to one another; this holds the validator
  // to the catalogs: no message of its own that a catalog lacks.
  for (const std::string& language : Catalog::Languages()) {
    CAPTURE(language);
    Submission s = SpanishValid();
    s.language = language;
    s.values = {{"acne", std::string("yes")},
                {"acne-detail", true},
                {"email", std::string("x")},
                {"nope", std::string("1")}};
    auto errors = ValidateSubmission(Bilingual(), s).errors();
    CHECK(errors.size() == 5);  // nope, acne-detail, dob, email, sig
    for (const FieldError& e : errors) CHECK_FALSE(e.message.empty());
  }
}

TEST_CASE("merged field errors keep one message per field, in order") {
  std::vector<FieldError> into = {{"a", "parse: a"}, {"b", "parse: b"}};
  MergeFieldErrors(into, {{"b", "check: b"}, {"c", "check: c"}, {"c", "check: c again"}});
  std::vector<std::string> got;
  for (const FieldError& e : into) got.push_back(e.field_id + "=" + e.message);
  CHECK(got == std::vector<std::string>{"a=parse: a", "b=parse: b", "c=check: c"});
  MergeFieldErrors(into, into);  // itself: nothing new
  CHECK(into.size() == 3);
}

// Linearity without timing: MergeByKey takes each item's key exactly once
// (n + m times). The quadratic merge this replaced read a key of `into` for
// every pair, 32,000 x 32,000 / 2 reads for a body of 32,000 bad fields.
TEST_CASE("merging field errors reads each key once, however many there are") {
  for (std::size_t n : {10u, 1000u, 32000u}) {
    std::vector<FieldError> into, more;
    for (std::size_t i = 0; i < n; ++i) {
      into.push_back({"parse-" + std::to_string(i), "x"});
      more.push_back({(i % 2 ? "parse-" : "check-") + std::to_string(i), "y"});
    }
    std::size_t reads = 0;
    MergeByKey(into, more, [&reads](const FieldError& e) -> const std::string& {
      ++reads;
      return e.field_id;
    });
    CHECK(reads == 2 * n);
    CHECK(into.size() == n + (n + 1) / 2);
  }
}

TEST_CASE("32,000 unknown fields are 32,000 errors, each named once") {
  Submission s = Valid();
  for (int i = 0; i < 32000; ++i) s.values["zz-" + std::to_string(i)] = std::string("x");
  ValidationResult r = ValidateSubmission(Form(), s);
  REQUIRE_FALSE(r.ok());
  CHECK(r.errors().size() == 32000);
  std::vector<FieldError> merged = {{"zz-7", "is a number"}};
  MergeFieldErrors(merged, r.errors());
  CHECK(merged.size() == 32000);
  CHECK(merged.front().message == "is a number");
}

}  // namespace
}  // namespace consentkit
