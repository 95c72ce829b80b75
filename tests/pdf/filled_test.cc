// Renders submissions as the flattened record the server stores, and asks
// outside tools to judge it: qpdf, pypdf, pdftotext and pdftoppm.
#include "pdf/filled.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "form/form.h"
#include "pdf/pdf.h"
#include "submission/submission.h"
#include "support/filled.h"
#include "support/forms.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::MustLoadShipped;
using test::MustValidate;
using test::PdfPageCount;
using test::PdfText;
using test::Run;
using test::ShellQuote;
using test::TestClinic;

const std::string kUuid = "5b0d3c1e-6f0a-4b8e-9a57-2f4f3f1c2a10";
const std::string kReceived = "2026-11-23T10:15:02Z";
const std::string kPatient = "Zoë Muñoz";
const std::string kAllergies =
    "Penicillin gives me hives across my chest and arms within an hour. Lidocaine numbing cream "
    "once made my lips swell and tingle for most of an afternoon. Latex gloves leave an itchy red "
    "rash wherever they touch my skin, and fresh strawberries make my mouth itch.";

// A looping cursive scrawl and an underline on a 600x200 pad, sampled the
// way a tablet reports a pen.
Signature SampleSignature() {
  Signature s;
  s.pad_width = 600;
  s.pad_height = 200;
  Stroke scrawl;
  for (int i = 0; i <= 160; ++i) {
    float t = static_cast<float>(i) / 160;
    scrawl.push_back({40 + 460 * t + 28 * std::cos(36 * t),
                      100 - 48 * std::sin(36 * t) * (1 - 0.4f * t), 6 * i});
  }
  s.strokes = {scrawl, {{70, 178, 0}, {300, 170, 150}, {530, 174, 300}}};
  return s;
}

FieldValue DefaultValue(const Field& field) {
  switch (field.type) {
    case FieldType::kText:
    case FieldType::kTextArea:
      return kPatient;
    case FieldType::kDate:
      return std::string("2026-11-23");
    case FieldType::kEmail:
      return std::string("zoe@example.com");
    case FieldType::kPhone:
      return std::string("(207) 555-0142");
    case FieldType::kYesNo:
      return std::string("no");
    case FieldType::kChoice:
      return field.options.front().value;
    case FieldType::kMultiChoice:
      return std::vector<std::string>{field.options.front().value};
    case FieldType::kInitials:
      return std::string("ZM");
    case FieldType::kSignature:
      return SampleSignature();
    case FieldType::kCheckbox:
      return true;
  }
  return std::string();
}

// `answers`, plus a default value for every other required field that they
// make relevant, found from form.fields in document order.
Submission Fill(const FormDefinition& form, const std::map<std::string, FieldValue>& answers) {
  Submission s;
  s.uuid = kUuid;
  s.form_id = form.id;
  s.form_version = form.version;
  s.form_sha256 = form.sha256_hex;
  s.language = form.lang;
  s.values = answers;
  for (const Field& field : form.fields) {
    if (s.values.count(field.id) || !field.required || !IsRelevant(form, field, s)) continue;
    s.values[field.id] = DefaultValue(field);
  }
  return s;
}

// The patient's part only: since 2026.2 the practitioner countersigns at
// review, outside the patient's form.
Submission ConsentSubmission(const FormDefinition& consent) {
  return Fill(consent, {{"patient-name", kPatient}});
}

// Triggers three practitioner-review rules (keloids, allergies, skin type V)
// and hides the medications list (no other medicines).
std::map<std::string, FieldValue> IntakeAnswers() {
  return {{"full-name", kPatient},
          {"date-of-birth", std::string("1990-02-28")},
          {"email", std::string("zoe.munoz@example.com")},
          {"address", std::string("Flat 3, “Harbour View”\n12 Ocean Avenue\nPortland, ME 04101")},
          {"emergency-contact-name", std::string("Łukasz Żółć")},
          {"keloid", std::string("yes")},
          {"other-medications", std::string("no")},
          {"allergies", std::string("yes")},
          {"allergies-list", kAllergies},
          {"skin-type", std::string("V")},
          {"goals", std::vector<std::string>{"acne-scars", "other"}},
          {"goals-other", std::string("Smoother chin — the “orange peel” look")}};
}

SubmissionStamp Stamp() { return {kUuid, kReceived}; }

std::string RenderToFile(const FormPtr& form, const Submission& submission,
                         const test::TempDir& dir, const std::string& name = "filled.pdf") {
  ValidationResult checked = ValidateSubmission(form, submission);
  REQUIRE(checked.ok());
  const ValidSubmission& valid = checked.value();
  return dir.Write(name, RenderSubmission(valid, Screen(valid), Stamp(), TestClinic()));
}

// The text from `from` up to the next `to` (or the end); empty if `from`
// is missing.
std::string Between(const std::string& text, const std::string& from, const std::string& to) {
  auto start = text.find(from);
  if (start == std::string::npos) return "";
  auto end = to.empty() ? std::string::npos : text.find(to, start + from.size());
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string Collapsed(const std::string& text) { return CollapseWhitespace(text); }

TEST_CASE("TestSubmissionsAreValidAndTheIntakeNeedsReview") {
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  Submission filled_intake = Fill(*intake, IntakeAnswers());
  for (const auto& e : ValidateSubmission(consent, ConsentSubmission(*consent)).errors())
    FAIL_CHECK(e.field_id << ": " << e.message);
  ValidationResult checked_intake = ValidateSubmission(intake, filled_intake);
  for (const auto& e : checked_intake.errors()) FAIL_CHECK(e.field_id << ": " << e.message);
  REQUIRE(checked_intake.ok());
  ScreeningResult result = Screen(checked_intake.value());
  CHECK(result.outcome == Outcome::kPractitionerReview);
  CHECK(result.reasons.size() == 3);
}

TEST_CASE("FilledFormsPassQpdfCheck") {
  test::TempDir dir;
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  for (const std::string& pdf :
       {RenderToFile(consent, ConsentSubmission(*consent), dir, "consent.pdf"),
        RenderToFile(intake, Fill(*intake, IntakeAnswers()), dir, "intake.pdf")}) {
    auto result = Run("qpdf --check " + ShellQuote(pdf));
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("No syntax or stream encoding errors") != std::string::npos);
    CHECK(result.out.find("WARNING") == std::string::npos);
    CHECK(result.err.empty());
  }
}

TEST_CASE("FilledFormIsFlattened") {
  test::TempDir dir;
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  std::string pdf = RenderToFile(intake, Fill(*intake, IntakeAnswers()), dir);
  auto result = Run(std::string(CK_PYTHON) + " " +
                    test::SourcePath("tests/pdf/check_flattened.py") + " " + ShellQuote(pdf));
  CHECK(result.out + result.err == "OK\n");
  auto json = Run("qpdf --json --json-key=acroform " + ShellQuote(pdf));
  CHECK(json.out.find("\"hasacroform\": false") != std::string::npos);
}

TEST_CASE("FilledConsentShowsSignerRisksAndRecord") {
  test::TempDir dir;
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::string pdf = RenderToFile(consent, ConsentSubmission(*consent), dir);
  std::string text = PdfText(pdf);
  CHECK(text.find(kPatient) != std::string::npos);
  // In reading order each risk's row shows the tick's word and the initials.
  std::string layout = PdfText(pdf, "-layout");
  std::vector<const Risk*> risks = consent->Risks();
  for (std::size_t i = 0; i < risks.size(); ++i) {
    std::string card = Between(layout, risks[i]->title,
                               i + 1 < risks.size() ? risks[i + 1]->title : "What results");
    CHECK_MESSAGE(card.find("Understood") != std::string::npos, "not understood: " << card);
    CHECK_MESSAGE(std::regex_search(card, std::regex("Initials \\* +ZM")), "no initials: " << card);
  }
  for (const std::string& s : std::vector<std::string>{
           kUuid, kReceived, consent->sha256_hex,
           "microneedling-consent, version " + consent->version, "Signer: patient"}) {
    CHECK_MESSAGE(text.find(s) != std::string::npos, "missing " << s);
  }
  // The practitioner countersigns at review: the patient's form has no box for it.
  CHECK(text.find("Signer: practitioner") == std::string::npos);
  // A consent has no screening rules, so no outcome is printed (none was reached).
  CHECK(text.find("Screening outcome") == std::string::npos);
  CHECK(test::CountOf(text, "submission " + kUuid) == PdfPageCount(pdf));
}

TEST_CASE("IntakeShowsTheOutcomeAndEveryReason") {
  test::TempDir dir;
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  Submission submission = Fill(*intake, IntakeAnswers());
  std::string text = Collapsed(PdfText(RenderToFile(intake, submission, dir)));
  CHECK(text.find("Screening outcome: Practitioner review") != std::string::npos);
  for (const std::string& reason : Screen(MustValidate(intake, submission)).reasons) {
    CHECK_MESSAGE(text.find("• " + reason) != std::string::npos, "missing " << reason);
  }
  CHECK(text.find("For clinic use only: screening outcome") != std::string::npos);
  CHECK(text.find("Reviewed by") == std::string::npos);  // the paper box is not printed
}

TEST_CASE("DeferOutcomeIsPrinted") {
  test::TempDir dir;
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  std::map<std::string, FieldValue> answers = IntakeAnswers();
  answers["pregnant"] = std::string("yes");
  std::string text = Collapsed(PdfText(RenderToFile(intake, Fill(*intake, answers), dir)));
  CHECK(text.find("Screening outcome: Deferred") != std::string::npos);
  CHECK(text.find("Pregnant or breastfeeding: defer until after pregnancy and breastfeeding.") !=
        std::string::npos);
}

TEST_CASE("SuitableOutcomeSaysNoRuleApplies") {
  test::TempDir dir;
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  std::string text = Collapsed(PdfText(RenderToFile(intake, Fill(*intake, {}), dir)));
  CHECK(text.find("Screening outcome: Suitable") != std::string::npos);
  CHECK(text.find("No screening rule applies to these answers.") != std::string::npos);
}

TEST_CASE("FieldHiddenByItsConditionIsMarkedNotAsked") {
  test::TempDir dir;
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  std::string text = PdfText(RenderToFile(intake, Fill(*intake, IntakeAnswers()), dir));
  std::string hidden =
      Collapsed(Between(text, "List your medications", "Do you have any allergies"));
  CHECK(hidden ==
        "List your medications * Only if you answered “Yes” to “Do you take any other medicines?” "
        "Not asked Give the name of each one and how much you take.");
  // A field its condition shows prints its value.
  CHECK(text.find("Smoother chin — the “orange peel” look") != std::string::npos);
}

TEST_CASE("LongTextareaValueWrapsAndIsComplete") {
  test::TempDir dir;
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  std::string text = PdfText(RenderToFile(intake, Fill(*intake, IntakeAnswers()), dir));
  CHECK(text.find(kAllergies) == std::string::npos);             // not on one line...
  CHECK(Collapsed(text).find(kAllergies) != std::string::npos);  // ...but all there
  std::string value = Between(text, "Penicillin", "Tell us what you react to");
  CHECK(std::count(value.begin(), value.end(), '\n') >= 3);
  // The patient's own line breaks are kept.
  CHECK(text.find("Flat 3, “Harbour View”\n12 Ocean Avenue\nPortland, ME 04101") !=
        std::string::npos);
}

TEST_CASE("UnicodeValuesSurvive") {
  test::TempDir dir;
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  std::string text = PdfText(RenderToFile(intake, Fill(*intake, IntakeAnswers()), dir));
  for (const std::string& s : std::vector<std::string>{kPatient, "Łukasz Żółć", "“Harbour View”",
                                                       "zoe.munoz@example.com"}) {
    CHECK_MESSAGE(text.find(s) != std::string::npos, "missing " << s);
  }
}

TEST_CASE("HiddenQuestionsAndBlankAnswersAreMarked") {
  LoadResult loaded = LoadFormFromMemory(R"(<form id="q" version="1" kind="intake" lang="en">
    <title>Questions</title>
    <section id="s" kind="screening"><heading>Health</heading>
      <question id="acne" type="yesno" required="true"><label>Acne?</label></question>
      <question id="where" type="choice" required="true" when="acne" equals="yes">
        <label>Where is it?</label><option value="face">Face</option><option value="back">Back</option>
      </question>
      <question id="sore" type="yesno" when="acne" equals="yes"><label>Is it sore?</label></question>
      <field id="notes" type="text"><label>Anything else?</label></field>
      <rule when="acne" equals="yes" outcome="defer">Active acne.</rule>
    </section>
    <section id="f" kind="fields"><heading>Sign</heading>
      <field id="sig" type="signature" role="patient" required="true"><label>Patient</label></field>
    </section></form>)",
                                         "q.xml");
  for (const auto& d : loaded.errors) FAIL_CHECK(d.ToString());
  REQUIRE(loaded.ok());
  test::TempDir dir;
  Submission submission =
      Fill(*loaded.form, {{"acne", std::string("no")}, {"notes", std::string("  ")}});
  std::string text = Collapsed(PdfText(RenderToFile(loaded.form, submission, dir)));
  CHECK(text.find("Where is it? * Only if you answered “Yes” to “Acne?” Not asked") !=
        std::string::npos);
  CHECK(text.find("Face") == std::string::npos);  // a hidden choice lists no options
  CHECK(Between(text, "Is it sore?", "Anything else?").find("Not asked") != std::string::npos);
  CHECK(text.find("Anything else? Not answered") != std::string::npos);
  CHECK(text.find("Screening outcome: Suitable") != std::string::npos);
  CHECK(text.find("Signer: patient") != std::string::npos);
}

constexpr char kWitnessedXml[] = R"(<form id="w" version="1" kind="intake" lang="en">
    <title>Witnessed</title>
    <section id="f" kind="fields"><heading>Sign</heading>
      <field id="sig" type="signature" role="patient" required="true"><label>Patient</label></field>
      <field id="wname" type="text" role="witness"><label>Witness name</label></field>
      <field id="wsig" type="signature" role="witness"><label>Witness</label></field>
    </section></form>)";

TEST_CASE("AWitnessStepPrintsWhoUnlockedItOrNotAsked") {
  LoadResult loaded = LoadFormFromMemory(kWitnessedXml, "w.xml");
  REQUIRE(loaded.ok());
  const FormPtr& form = loaded.form;
  test::TempDir dir;
  Submission patient_only = Fill(*form, {});
  patient_only.values.erase("wname");
  patient_only.values.erase("wsig");
  std::string locked = Collapsed(PdfText(RenderToFile(form, patient_only, dir, "locked.pdf")));
  CHECK(locked.find("Witness name Not asked") != std::string::npos);
  CHECK(locked.find("Witness step not unlocked: no witness signed") != std::string::npos);

  Submission witnessed = Fill(*form, {{"wname", std::string("Rui Costa")}});
  // A witness value with the step locked is not something to print: it is
  // not valid, so there is nothing to render.
  std::vector<FieldError> errors = ValidateSubmission(form, witnessed).errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field_id == "wname");
  ValidSubmission unlocked = MustValidate(form, witnessed, WitnessStep::kUnlocked);
  // The record names who unlocked the step it was validated under, and
  // claims no unlock for a submission validated with the step locked.
  CHECK_THROWS_WITH_AS(RenderSubmission(unlocked, {}, Stamp(), TestClinic()),
                       ("cannot render submission " + kUuid +
                        " of form w: it was validated with the witness step unlocked, but no "
                        "unlock is given to print")
                           .c_str(),
                       PdfError);
  RenderOptions options;
  options.witness = WitnessUnlocked{"Front desk", "tok_0123", "2026-11-23T10:01:00Z"};
  CHECK_THROWS_WITH_AS(
      RenderSubmission(MustValidate(form, patient_only), {}, Stamp(), TestClinic(), options),
      ("cannot render submission " + kUuid +
       " of form w: it was validated with the witness step locked, but the "
       "options say staff unlocked it")
          .c_str(),
      PdfError);
  std::string path =
      dir.Write("unlocked.pdf", RenderSubmission(unlocked, {}, Stamp(), TestClinic(), options));
  std::string text = Collapsed(PdfText(path));
  CHECK(text.find("Rui Costa") != std::string::npos);
  CHECK(text.find("Witness step unlocked by Front desk (tok_0123) at 2026-11-23T10:01:00Z") !=
        std::string::npos);
}

struct Box {
  int page = 0;
  double x = 0, y = 0;  // top-left, in points from the page's top-left
};

// Where the box of the field labelled `label` begins: just under the label,
// found by pdftotext's word boxes.
Box BoxBelowLabel(const std::string& pdf, const std::string& first_word,
                  const std::string& second_word) {
  std::string html = PdfText(pdf, "-bbox");
  std::regex word("<word xMin=\"([0-9.]+)\" yMin=\"[0-9.]+\" xMax=\"[0-9.]+\" yMax=\"([0-9.]+)\">" +
                  first_word + "</word>\\s*<word[^>]*>" + second_word);
  Box box;
  std::size_t at = 0;
  for (std::size_t page_at = html.find("<page "); page_at != std::string::npos;
       page_at = html.find("<page ", page_at + 1)) {
    ++box.page;
    std::size_t end = html.find("</page>", page_at);
    std::smatch m;
    std::string page = html.substr(page_at, end - page_at);
    if (std::regex_search(page, m, word)) {
      box.x = std::stod(m[1]);
      box.y = std::stod(m[2]);
      at = page_at;
      break;
    }
  }
  REQUIRE_MESSAGE(at != 0, "no label " << first_word << " " << second_word);
  return box;
}

// Pixels in the given region whose colour is the blue of a filled value:
// not the grey of the printed box and line, nor the teal of the headings.
struct Rgb {
  int r, g, b;
};

// The pixels of a region of a page at 72 dpi; `flags` go to pdftoppm.
std::vector<Rgb> PixelsOf(const std::string& pdf, const Box& box, int width, int height,
                          const test::TempDir& dir, const std::string& flags = "") {
  std::string out = dir.File("crop");
  auto result =
      Run("pdftoppm -r 72 -singlefile " + flags + " -f " + std::to_string(box.page) + " -l " +
          std::to_string(box.page) + " -x " + std::to_string(static_cast<int>(box.x)) + " -y " +
          std::to_string(static_cast<int>(box.y)) + " -W " + std::to_string(width) + " -H " +
          std::to_string(height) + " " + ShellQuote(pdf) + " " + ShellQuote(out));
  REQUIRE(result.exit_code == 0);
  std::istringstream ppm(ReadFile(out + ".ppm"));
  std::string magic;
  int w = 0, h = 0, max = 0;
  ppm >> magic >> w >> h >> max;
  ppm.get();
  REQUIRE(magic == "P6");
  std::vector<Rgb> pixels;
  for (int i = 0; i < w * h; ++i) {
    int r = ppm.get(), g = ppm.get(), b = ppm.get();
    pixels.push_back({r, g, b});
  }
  return pixels;
}

// Pixels in the given region whose colour is the blue of a filled value:
// not the grey of the printed box and line, nor the teal of the headings.
int BluePixels(const std::string& pdf, const Box& box, int width, int height,
               const test::TempDir& dir) {
  std::vector<Rgb> pixels = PixelsOf(pdf, box, width, height, dir);
  return static_cast<int>(std::count_if(
      pixels.begin(), pixels.end(), [](const Rgb& p) { return p.b > p.g + 50 && p.b > p.r + 80; }));
}

TEST_CASE("SignatureIsDrawnInItsBox") {
  test::TempDir dir;
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::string filled = RenderToFile(consent, ConsentSubmission(*consent), dir);
  // The signature box is 300 x 46 pt, 3 pt below the label's line.
  Box box = BoxBelowLabel(filled, "Patient", "signature");
  box.y += 6;
  int drawn = BluePixels(filled, box, 300, 40, dir);
  CHECK(drawn > 150);
  // The same region of the blank form holds only the printed line.
  std::string blank = dir.Write("blank.pdf", RenderPacket({consent}, TestClinic()));
  CHECK(BluePixels(blank, BoxBelowLabel(blank, "Patient", "signature"), 300, 40, dir) == 0);
}

TEST_CASE("FitSignatureKeepsTheAspectRatioInsideTheArea") {
  Signature s;
  s.pad_width = 600;
  s.pad_height = 200;
  s.strokes = {{{100, 50, 0}, {500, 150, 10}}, {{300, 100, 0}}};
  PdfRect area{10, 20, 200, 40};
  std::vector<Polyline> lines = FitSignature(s, area);
  REQUIRE(lines.size() == 2);
  REQUIRE(lines[0].size() == 2);
  // 400 x 100 pad units into 200 x 40: the height limits the scale to 0.4.
  CHECK(lines[0][0].x == doctest::Approx(10));
  CHECK(lines[0][1].x == doctest::Approx(170));
  CHECK(lines[0][0].y == doctest::Approx(60));  // the pad's top is the page's top
  CHECK(lines[0][1].y == doctest::Approx(20));
  CHECK(lines[1][0].x == doctest::Approx(90));
  CHECK(lines[1][0].y == doctest::Approx(40));
  CHECK(FitSignature(Signature{}, area).empty());
}

TEST_CASE("LongestValueWithManyLineBreaksStillFitsOnAPage") {
  test::TempDir dir;
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  std::string longest;
  while (Utf8Length(longest) + 2 <= 2000) longest += "Ω\n";
  std::map<std::string, FieldValue> answers = IntakeAnswers();
  answers["allergies-list"] = longest;
  std::string pdf = RenderToFile(intake, Fill(*intake, answers), dir);
  CHECK(Run("qpdf --check " + ShellQuote(pdf)).exit_code == 0);
  std::string text = PdfText(pdf);
  CHECK(test::CountOf(text, "Ω") == 1000);
}

// RenderSubmission takes only a ValidSubmission, so an invalid one cannot
// reach it (it used to throw PdfError here): validation refuses it instead.
TEST_CASE("InvalidSubmissionIsRefused") {
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  Submission submission = ConsentSubmission(*consent);
  submission.values.erase("patient-name");
  ValidationResult checked = ValidateSubmission(consent, submission);
  CHECK_FALSE(checked.ok());
  REQUIRE(checked.errors().size() == 1);
  CHECK(checked.errors()[0].field_id == "patient-name");
  CHECK(checked.errors()[0].message == "is required");
  CHECK_THROWS_AS(checked.value(), std::logic_error);
}

TEST_CASE("RenderingASubmissionIsReproducibleWithAFixedDate") {
  RenderOptions options;
  options.creation_time = 1700000000;
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  ValidSubmission submission = MustValidate(intake, Fill(*intake, IntakeAnswers()));
  ScreeningResult screening = Screen(submission);
  CHECK(RenderSubmission(submission, screening, Stamp(), TestClinic(), options) ==
        RenderSubmission(submission, screening, Stamp(), TestClinic(), options));
}

// --- Sealed records (RenderOptions::seal) -------------------------------

RenderOptions SealOptions(const std::string& clinic_name = "Clínica Muñoz") {
  RenderOptions options;
  options.seal = SealAppearance{clinic_name, kReceived, kUuid};
  return options;
}

std::string RenderSealed(const FormPtr& form, const Submission& submission,
                         const test::TempDir& dir, const RenderOptions& options = SealOptions()) {
  ValidSubmission valid = MustValidate(form, submission);
  return dir.Write("sealed.pdf",
                   RenderSubmission(valid, Screen(valid), Stamp(), TestClinic(), options));
}

TEST_CASE("SealedRecordHasOneSignatureFieldOnItsLastPage") {
  test::TempDir dir;
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  for (const std::string& pdf : {RenderSealed(consent, ConsentSubmission(*consent), dir),
                                 RenderSealed(intake, Fill(*intake, IntakeAnswers()), dir)}) {
    auto check = Run("qpdf --check " + ShellQuote(pdf));
    CHECK(check.exit_code == 0);
    CHECK(check.out.find("WARNING") == std::string::npos);
    std::string json = Run("qpdf --json --json-key=acroform " + ShellQuote(pdf)).out;
    CHECK(test::CountOf(json, "\"fullname\":") == 1);
    CHECK(json.find("\"fieldtype\": \"/Sig\"") != std::string::npos);
    CHECK(json.find("\"fullname\": \"seal\"") != std::string::npos);
    CHECK(json.find("\"pageposfrom1\": " + std::to_string(PdfPageCount(pdf)) + ",") !=
          std::string::npos);
    std::string bytes = ReadFile(pdf);
    for (const std::string& part :
         {std::string("/SigFlags 3"), std::string("/Type /Sig"),
          std::string("/SubFilter /adbe.pkcs7.detached"), std::string("/M (D:20261123101502Z)"),
          std::string("/ByteRange [ 0 2147483647 2147483647 2147483647 ]"),
          "/Contents <" + std::string(2 * 16384, '0') + ">"}) {
      CHECK_MESSAGE(test::CountOf(bytes, part) == 1, "not once: " << part.substr(0, 60));
    }
  }
}

// The y (from the page's top) of the lower edge of `word` on the last page.
double WordBottom(const std::string& pdf, const std::string& word) {
  std::string html = PdfText(pdf, "-bbox");
  std::string last = html.substr(html.rfind("<page "));
  std::smatch m;
  REQUIRE(std::regex_search(last, m, std::regex("yMax=\"([0-9.]+)\">" + word + "</word>")));
  return std::stod(m[1]);
}

TEST_CASE("SealStampSitsUnderTheRecordAboveTheFooter") {
  test::TempDir dir;
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::string pdf = RenderSealed(consent, ConsentSubmission(*consent), dir);
  auto rect = Run(std::string(CK_PYTHON) +
                  " -c 'import sys, pypdf; p = pypdf.PdfReader(sys.argv[1]).pages[-1]; "
                  "r = p[\"/Annots\"][0].get_object()[\"/Rect\"]; "
                  "print(*[float(v) for v in r], float(p.mediabox.height))' " +
                  ShellQuote(pdf));
  REQUIRE_MESSAGE(rect.exit_code == 0, rect.err);
  std::istringstream numbers(rect.out);
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0, height = 0;
  numbers >> x0 >> y0 >> x1 >> y1 >> height;
  // Below "Language shown", the record's last row, with the record's own
  // padding and a gap between; above the footer rule (44 pt up).
  CHECK(height - y1 > WordBottom(pdf, "shown") + 12);
  CHECK(y0 >= 60);
  CHECK(x0 == doctest::Approx(50));
  CHECK(x1 == doctest::Approx(545.28));
  CHECK(WordBottom(pdf, "Electronically") > height - y1);
  // The stamp is the field's appearance: without annotations, the page
  // shows nothing there.
  Box stamp{PdfPageCount(pdf), x0, height - y1};
  auto width = static_cast<int>(x1 - x0), tall = static_cast<int>(y1 - y0);
  auto not_white = [](const Rgb& p) { return p.r < 250 || p.g < 250 || p.b < 250; };
  std::vector<Rgb> shown = PixelsOf(pdf, stamp, width, tall, dir);
  std::vector<Rgb> hidden = PixelsOf(pdf, stamp, width, tall, dir, "-hide-annotations");
  CHECK(std::count_if(shown.begin(), shown.end(), not_white) > width * tall / 2);
  CHECK(std::count_if(hidden.begin(), hidden.end(), not_white) == 0);
}

TEST_CASE("SealStampCutsALongClinicName") {
  test::TempDir dir;
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::string name = "The Very Long Name of a Clinic";
  while (name.size() < 120) name += " and Partners";
  std::string text =
      PdfText(RenderSealed(consent, ConsentSubmission(*consent), dir, SealOptions(name)));
  std::string line = Between(text, "Electronically sealed by", "\n");
  CHECK(line.size() > 60);
  CHECK(line.substr(line.size() - 3) == "…");
}

// SealPdf finds the placeholder by its keys, so no text from a clinic or a
// patient may ever spell them out in the file.
TEST_CASE("UserTextCannotPassForTheSignaturePlaceholder") {
  test::TempDir dir;
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::string hostile = "/ByteRange [0 1 2 3] /Contents <00>";
  Submission submission = ConsentSubmission(*consent);
  submission.values["patient-name"] = hostile;
  std::string bytes = ReadFile(RenderSealed(consent, submission, dir, SealOptions(hostile)));
  CHECK(test::CountOf(bytes, "/ByteRange") == 1);
  CHECK(test::CountOf(bytes, "/Contents <") == 1);
}

TEST_CASE("BlankFormsCannotBeSealed") {
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  CHECK_THROWS_WITH_AS(RenderPacket({consent}, TestClinic(), SealOptions()),
                       "cannot seal a blank form: seal submission records only", PdfError);
}

TEST_CASE("SealTimeMustBeUtcIso8601") {
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  ValidSubmission submission = MustValidate(consent, ConsentSubmission(*consent));
  RenderOptions options = SealOptions();
  options.seal->signed_at_utc = "2026-11-23 10:15";
  CHECK_THROWS_WITH_AS(
      RenderSubmission(submission, Screen(submission), Stamp(), TestClinic(), options),
      "seal time \"2026-11-23 10:15\" is not UTC ISO 8601; expected 2026-11-23T10:15:02Z",
      PdfError);
}

}  // namespace
}  // namespace consentkit
