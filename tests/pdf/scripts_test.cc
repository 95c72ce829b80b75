// Names and answers in any living script (issue 13, item 5): accepted by
// the validator, printed with the font chain (shaped, right to left where
// they read so) and given back by poppler's pdftotext exactly as typed, in
// the blank packet filled in for a patient and in the sealed record. PNG
// renders land in script-shots/ for people to look at.
#include <doctest/doctest.h>

#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "form/form.h"
#include "pdf/pdf.h"
#include "seal/seal.h"
#include "submission/submission.h"
#include "support/filled.h"
#include "support/forms.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::Run;
using test::ShellQuote;

struct Sample {
  const char* script;
  const char* name;
  const char* text;  // a free-text answer
};

const std::vector<Sample>& Samples() {
  static const std::vector<Sample> kSamples = {
      {"vietnamese", "Nguyễn Thị Ánh", "Tôi bị dị ứng với thuốc kháng sinh."},
      // The same name typed with combining marks (NFD): printed stacked by
      // HarfBuzz, given back as typed.
      {"vietnamese-combining", "Nguye\xCC\x82\xCC\x83n Thi\xCC\xA3 A\xCC\x81nh",
       "Di\xCC\xA3 \xC6\xB0\xCC\x81ng pha\xCC\x82\xCC\x81n hoa."},
      {"greek", "Ελένη Παπαδοπούλου", "Έχω αλλεργία στη γύρη."},
      {"cyrillic", "Ольга Петрова", "У меня аллергия на пенициллин."},
      {"armenian", "Անի Հակոբյան", "Ես ալերգիա ունեմ պենիցիլինի նկատմամբ։"},
      {"georgian", "ნინო ბერიძე", "მაქვს ალერგია პენიცილინზე."},
      {"hebrew", "דנה כהן", "יש לי אלרגיה לפניצילין."},
      {"arabic", "محمد الأحمد", "لدي حساسية من البنسلين."},
      {"devanagari", "प्रिया शर्मा", "मुझे पेनिसिलिन से एलर्जी है।"},
      {"tamil", "கார்த்திக் சுப்பிரமணியன்", "எனக்கு பென்சிலின் ஒவ்வாமை உள்ளது."},
      {"bengali", "সৌমিত্র চট্টোপাধ্যায়", "আমার পেনিসিলিনে অ্যালার্জি আছে।"},
      {"thai", "สมชาย ใจดี", "ฉันแพ้ยาเพนิซิลลิน"},
      {"chinese", "王小明", "我对青霉素过敏。"},
      {"japanese", "山田花子", "ペニシリンにアレルギーがあります。"},
      {"korean", "김민준", "페니실린 알레르기가 있습니다."},
  };
  return kSamples;
}

constexpr char kForm[] =
    "<form id=\"scripts\" version=\"1\" kind=\"general\" lang=\"en\"><title>Scripts</title>"
    "<section id=\"about\" kind=\"info\"><heading>Peels</heading>"
    "<p>Peels use α-hydroxy acids. Tell us if you take β-blockers.</p></section>"
    "<section id=\"you\" kind=\"fields\"><heading>You</heading>"
    "<field id=\"patient-name\" type=\"text\" prefill=\"patient-name\" required=\"true\">"
    "<label>Full name</label></field>"
    "<field id=\"notes\" type=\"textarea\"><label>Allergies</label></field>"
    "<field id=\"patient-signature\" type=\"signature\" role=\"patient\" required=\"true\">"
    "<label>Signature</label></field></section></form>";

const std::string kUuid = "0b6f1e9c-3a4d-4c2b-8e1f-7a9d5c3b2e10";

FormPtr ScriptsForm() {
  static const FormPtr form = test::MustLoadXml(kForm);
  return form;
}

const SigningIdentity& Clinic() {
  static test::TempDir dir;
  static const SigningIdentity identity = [] {
    CreateSelfSignedIdentity(dir.path(), "Clínica Muñoz");
    return SigningIdentity::Load(dir.path() + "/" + kSealCertFile, dir.path() + "/" + kSealKeyFile);
  }();
  return identity;
}

// pdftotext's text with every run of white space made one space, less
// the invisible bidi marks around right-to-left text: poppler wraps each
// such stretch in U+202B … U+202C itself, and the PDF ends one with U+200E
// so that poppler keeps what follows it in place (shaping.cc).
std::string Extracted(const std::string& pdf_path) {
  auto result = Run("pdftotext " + ShellQuote(pdf_path) + " -");
  REQUIRE(result.exit_code == 0);
  CHECK_MESSAGE(result.err.empty(), result.err);
  std::string text = result.out;
  for (const char* mark : {"\u202A", "\u202B", "\u202C", "\u200E", "\u200F"}) {
    for (std::size_t at; (at = text.find(mark)) != std::string::npos;) text.erase(at, 3);
  }
  return CollapseWhitespace(text);
}

void CheckQpdf(const std::string& pdf_path) {
  auto result = Run("qpdf --check " + ShellQuote(pdf_path));
  CHECK_MESSAGE(result.exit_code == 0, result.out << result.err);
}

PatientIdentity PatientNamed(const std::string& name) {
  return PatientIdentity{name, "1990-02-28", "MRN-7", "V-1"};
}

std::string BlankFilled(const Sample& s) {
  RenderOptions options;
  options.patient = PatientNamed(s.name);
  return RenderPacket({ScriptsForm()}, test::TestClinic(), options);
}

std::string SealedRecord(const Sample& s) {
  ValidSubmission valid = test::MustValidate(
      ScriptsForm(), test::FilledSubmission(
                         *ScriptsForm(), kUuid,
                         {{"patient-name", std::string(s.name)}, {"notes", std::string(s.text)}}));
  RenderOptions options;
  options.patient = PatientNamed(s.name);
  options.seal = SealAppearance{"Clínica Muñoz", "2026-11-23T10:15:02Z", kUuid};
  std::string pdf = RenderSubmission(valid, Screen(valid), {kUuid, "2026-11-23T10:15:02Z"},
                                     test::TestClinic(), options);
  return SealPdf(pdf, Clinic());
}

TEST_CASE("NamesAndAnswersInEveryScriptComeBackAsTyped") {
  test::TempDir dir;
  for (const Sample& s : Samples()) {
    CAPTURE(s.script);
    std::string blank = dir.Write(std::string(s.script) + "-blank.pdf", BlankFilled(s));
    std::string sealed = dir.Write(std::string(s.script) + "-sealed.pdf", SealedRecord(s));
    CheckQpdf(blank);
    CheckQpdf(sealed);
    std::string blank_text = Extracted(blank), sealed_text = Extracted(sealed);
    // The band on every page and the prefilled field: the name, exactly.
    CHECK_MESSAGE(blank_text.find(s.name) != std::string::npos, blank_text);
    CHECK_MESSAGE(sealed_text.find(s.name) != std::string::npos, sealed_text);
    CHECK_MESSAGE(sealed_text.find(CollapseWhitespace(s.text)) != std::string::npos, sealed_text);
  }
}

TEST_CASE("TheValidatorAcceptsEveryScriptAndRefusesEmojiSayingWhichAndWhere") {
  for (const Sample& s : Samples()) {
    CAPTURE(s.script);
    Submission submission = test::FilledSubmission(
        *ScriptsForm(), kUuid,
        {{"patient-name", std::string(s.name)}, {"notes", std::string(s.text)}});
    CHECK(ValidateSubmission(ScriptsForm(), submission).ok());
  }
  Submission emoji = test::FilledSubmission(*ScriptsForm(), kUuid,
                                            {{"notes", std::string("Fine \xF0\x9F\x98\x80 ok")}});
  ValidationResult result = ValidateSubmission(ScriptsForm(), emoji);
  REQUIRE(result.errors().size() == 1);
  CHECK(result.errors()[0].field_id == "notes");
  CHECK(result.errors()[0].message ==
        "contains \"\xF0\x9F\x98\x80\" (U+1F600, character 6), which no font can print in the "
        "signed record; expected letters, digits and punctuation in any script");
  CHECK(!IsInRecordFont(0x1F600));
  CHECK(!IsInRecordFont(0xE000));  // private use: the glyph would be the font's own idea
  CHECK(IsInRecordFont(0x4E2D));   // 中
  CHECK(IsInRecordFont(0x0645));   // م
}

TEST_CASE("DefinitionTextMayUseGreekLetters") {
  test::TempDir dir;
  std::string pdf = dir.Write("greek.pdf", RenderPacket({ScriptsForm()}, test::TestClinic()));
  std::string text = Extracted(pdf);
  CHECK(text.find("Peels use α-hydroxy acids. Tell us if you take β-blockers.") !=
        std::string::npos);
}

// The pixels of page 1's "Full name" box, inside its border, that are
// darker than light grey, in pdftoppm's 100 dpi greyscale render.
int InkInNameBox(const std::string& pdf_path) {
  auto result = Run("pdftoppm -r 100 -gray -f 1 -l 1 -x 74 -y 412 -W 340 -H 26 -singlefile " +
                    ShellQuote(pdf_path));
  REQUIRE(result.exit_code == 0);
  // A binary PGM: "P5", width, height, maxval, each after white space.
  const std::string& pgm = result.out;
  std::size_t at = 0;
  for (int field = 0; field < 4; ++field) {
    while (at < pgm.size() && std::isspace(static_cast<unsigned char>(pgm[at]))) ++at;
    while (at < pgm.size() && !std::isspace(static_cast<unsigned char>(pgm[at]))) ++at;
  }
  REQUIRE(pgm.rfind("P5", 0) == 0);
  REQUIRE(pgm.size() - (at + 1) == 340u * 26u);
  int ink = 0;
  for (std::size_t i = at + 1; i < pgm.size(); ++i) ink += static_cast<unsigned char>(pgm[i]) < 200;
  return ink;
}

TEST_CASE("EveryScriptsNameIsDrawnNotBlank") {
  // pdftotext reads ToUnicode, not the glyphs: a font whose glyphs the
  // viewer cannot find (a CFF subset whose CIDs no longer name them) gives
  // the text back yet draws nothing. So look at the render itself.
  test::TempDir dir;
  for (const Sample& s : Samples()) {
    CAPTURE(s.script);
    std::string record = SealedRecord(s);
    std::string pdf = dir.Write(std::string(s.script) + ".pdf", record);
    std::string script = s.script;
    if (script == "chinese" || script == "japanese" || script == "korean") {
      // Noto Sans CJK as its packed subset's bare CID-keyed CFF.
      CHECK(record.find("/CIDFontType0C") != std::string::npos);
    }
    int ink = InkInNameBox(pdf);
    CAPTURE(ink);
    MESSAGE(std::string(s.script) << ": " << ink << " dark pixels");
    CHECK(ink > 40);
  }
}

TEST_CASE("RendersOfJoinedAndShapedNamesForPeopleToLookAt") {
  // Not judged here: pdftoppm's PNGs of the record's first page, cropped to
  // the band and the answers, in script-shots/ (look: letters joined,
  // conjuncts formed, right to left, no boxes).
  test::TempDir dir;
  std::string shots = CK_SCRIPT_SHOTS;
  Run("mkdir -p " + ShellQuote(shots));
  for (const Sample& s : Samples()) {
    std::string name = s.script;
    if (name != "arabic" && name != "devanagari" && name != "thai" && name != "chinese" &&
        name != "japanese" && name != "korean" && name != "hebrew" && name != "tamil") {
      continue;
    }
    std::string pdf = dir.Write(name + ".pdf", SealedRecord(s));
    auto result = Run("pdftoppm -r 100 -png -f 1 -l 1 -singlefile " + ShellQuote(pdf) + " " +
                      ShellQuote(shots + "/" + name));
    CHECK_MESSAGE(result.exit_code == 0, result.err);
  }
}

}  // namespace
}  // namespace consentkit
