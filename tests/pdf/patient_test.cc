// RenderOptions::patient: whose packet or record it is, on every page, in
// the prefilled fields and in the record block; judged by pdftotext, qpdf,
// pypdf and pdftoppm.
#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <sstream>

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
using test::PdfPageCount;
using test::PdfText;
using test::Run;
using test::ShellQuote;
using test::ShippedForms;
using test::TestClinic;

const std::string kName = "Zoë Łukasz-Muñoz";  // Latin-1 and Latin Extended-A
const std::string kBorn = "1990-02-28";
const std::string kNumber = "MRN-004217";
const std::string kVisit = "V-2026-11-23-0042";

RenderOptions WithPatient(const std::string& number = kNumber, const std::string& visit = kVisit) {
  RenderOptions options;
  options.patient = PatientIdentity{kName, kBorn, number, visit};
  return options;
}

std::string PageText(const std::string& pdf, int page) {
  std::string n = std::to_string(page);
  auto result = Run("pdftotext -f " + n + " -l " + n + " " + ShellQuote(pdf) + " -");
  REQUIRE(result.exit_code == 0);
  return result.out;
}

std::string BlankPacket(const test::TempDir& dir, const RenderOptions& options = WithPatient()) {
  return dir.Write("packet.pdf", RenderPacket(ShippedForms(), TestClinic(), options));
}

// Every text field's value as pypdf reads it: "name=value" lines, sorted;
// fields without a value are left out.
std::string FieldValues(const std::string& pdf) {
  auto result = Run(std::string(CK_PYTHON) +
                    " -c 'import sys, pypdf\n"
                    "fields = pypdf.PdfReader(sys.argv[1]).get_fields()\n"
                    "for name in sorted(fields):\n"
                    "    f = fields[name]\n"
                    "    if f.get(\"/FT\") == \"/Tx\" and f.get(\"/V\") is not None:\n"
                    "        print(name + \"=\" + str(f[\"/V\"]))' " +
                    ShellQuote(pdf));
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  return result.out;
}

TEST_CASE("BlankPacketWithAPatientNamesThePatientOnEveryPage") {
  test::TempDir dir;
  std::string pdf = BlankPacket(dir);
  int pages = PdfPageCount(pdf);
  REQUIRE(pages >= 5);
  for (int i = 1; i <= pages; ++i) {
    std::string text = CollapseWhitespace(PageText(pdf, i));
    CHECK_MESSAGE(text.find("Patient: " + kName) != std::string::npos, "page " << i);
    CHECK_MESSAGE(text.find("Date of birth: " + kBorn) != std::string::npos, "page " << i);
    CHECK_MESSAGE(text.find("No. " + kNumber) != std::string::npos, "page " << i);
  }
}

TEST_CASE("BlankPacketWithAPatientPrefillsThePatientsFields") {
  test::TempDir dir;
  CHECK(FieldValues(BlankPacket(dir)) == "microneedling-aftercare.patient-name=" + kName +
                                             "\n"
                                             "microneedling-consent.patient-name=" +
                                             kName +
                                             "\n"
                                             "microneedling-intake.date-of-birth=" +
                                             kBorn +
                                             "\n"
                                             "microneedling-intake.full-name=" +
                                             kName + "\n");
}

TEST_CASE("QpdfSeesThePrefilledValues") {
  test::TempDir dir;
  auto json = Run("qpdf --json --json-key=acroform " + ShellQuote(BlankPacket(dir)));
  REQUIRE(json.exit_code == 0);
  // qpdf's JSON marks text strings "u:" (UTF-8) as opposed to names and binary.
  CHECK(std::regex_search(json.out,
                          std::regex("\"fullname\": \"microneedling-intake.date-of-birth\",[^}]*"
                                     "\"value\": \"u:" +
                                     kBorn + "\"")));
  CHECK(test::CountOf(json.out, "\"value\": \"u:" + kName + "\"") == 3);
  CHECK(test::CountOf(json.out, "\"value\": \"u:") == 4);
}

// Viewers print a field's appearance, not its value: the prefilled name
// must show in the box with annotations drawn, and only then.
TEST_CASE("PrefilledValuePrintsInItsBox") {
  test::TempDir dir;
  std::string pdf = BlankPacket(dir);
  auto rect = Run(std::string(CK_PYTHON) +
                  " -c 'import sys, pypdf\n"
                  "r = pypdf.PdfReader(sys.argv[1])\n"
                  "for n, p in enumerate(r.pages):\n"
                  "    for a in p.get(\"/Annots\", []):\n"
                  "        a = a.get_object()\n"
                  "        if a.get(\"/T\") == \"full-name\":\n"
                  "            x0, y0, x1, y1 = [float(v) for v in a[\"/Rect\"]]\n"
                  "            h = float(p.mediabox.height)\n"
                  "            print(n + 1, int(x0), int(h - y1), int(x1 - x0), int(y1 - y0))' " +
                  ShellQuote(pdf));
  REQUIRE_MESSAGE(rect.exit_code == 0, rect.err);
  std::istringstream in(rect.out);
  int page = 0, x = 0, y = 0, w = 0, h = 0;
  in >> page >> x >> y >> w >> h;
  REQUIRE(w > 100);
  auto dark_pixels = [&](const std::string& flags) {
    std::string out = dir.File("crop" + flags);
    std::string n = std::to_string(page);
    REQUIRE(Run("pdftoppm -r 72 -gray -singlefile " + flags + " -f " + n + " -l " + n + " -x " +
                std::to_string(x) + " -y " + std::to_string(y) + " -W " + std::to_string(w) +
                " -H " + std::to_string(h) + " " + ShellQuote(pdf) + " " + ShellQuote(out))
                .exit_code == 0);
    std::string pgm = ReadFile(out + ".pgm");
    std::istringstream header(pgm);
    std::string magic;
    int width = 0, height = 0, max = 0;
    header >> magic >> width >> height >> max;
    std::string pixels = pgm.substr(pgm.size() - static_cast<std::size_t>(width * height));
    return std::count_if(pixels.begin(), pixels.end(),
                         [](char c) { return static_cast<unsigned char>(c) < 128; });
  };
  CHECK(dark_pixels("") > 40);
  CHECK(dark_pixels("-hide-annotations") == 0);
}

TEST_CASE("BlankPacketWithAPatientPassesQpdfCheck") {
  test::TempDir dir;
  auto result = Run("qpdf --check " + ShellQuote(BlankPacket(dir)));
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("No syntax or stream encoding errors") != std::string::npos);
  CHECK(result.out.find("WARNING") == std::string::npos);
  CHECK(result.err.empty());
}

TEST_CASE("BlankPacketWithoutAPatientNamesNobodyAndPrefillsNothing") {
  test::TempDir dir;
  std::string pdf = BlankPacket(dir, {});
  CHECK(PdfText(pdf).find("Patient:") == std::string::npos);
  CHECK(FieldValues(pdf).empty());
}

TEST_CASE("PatientWithoutANumberLeavesTheNumberOut") {
  test::TempDir dir;
  std::string text = CollapseWhitespace(PdfText(BlankPacket(dir, WithPatient(""))));
  CHECK(text.find("Patient: " + kName + " · Date of birth: " + kBorn + " ") != std::string::npos);
  CHECK(text.find("No. ") == std::string::npos);
}

TEST_CASE("LongPatientNameIsCutToTheHeaderBand") {
  RenderOptions options = WithPatient();
  options.patient->name = "Maria";
  while (options.patient->name.size() < 200) options.patient->name += " de la Cruz";
  test::TempDir dir;
  std::string text = PdfText(BlankPacket(dir, options));
  std::smatch line;
  REQUIRE(std::regex_search(text, line, std::regex("Patient: Maria[^\n]*")));
  CHECK(line.str().find("…") != std::string::npos);
  CHECK(line.str().find("Date of birth: " + kBorn) != std::string::npos);
  CHECK(line.str().find("No. " + kNumber) != std::string::npos);
}

TEST_CASE("PatientDateOfBirthMustBeIso8601") {
  RenderOptions options = WithPatient();
  options.patient->date_of_birth = "28/02/1990";
  CHECK_THROWS_WITH_AS(RenderPacket(ShippedForms(), TestClinic(), options),
                       "patient date of birth \"28/02/1990\" is not YYYY-MM-DD, e.g. 1990-02-28",
                       PdfError);
  options.patient->date_of_birth = kBorn;
  options.patient->name.clear();
  CHECK_THROWS_WITH_AS(RenderPacket(ShippedForms(), TestClinic(), options),
                       "the patient to print has no name", PdfError);
}

// --- Records (RenderSubmission) --------------------------------------------

const std::string kUuid = "0b6f6d0e-3c2a-4d8e-9f41-5a7b2c9d1e30";

std::string Record(const FormPtr& form, const test::TempDir& dir, const RenderOptions& options) {
  ValidationResult checked = ValidateSubmission(form, test::FilledSubmission(*form, kUuid));
  REQUIRE(checked.ok());
  const ValidSubmission& submission = checked.value();
  return dir.Write("record.pdf",
                   RenderSubmission(submission, Screen(submission), {kUuid, "2026-11-23T10:15:02Z"},
                                    TestClinic(), options));
}

TEST_CASE("RecordWithAPatientShowsVisitAndPatientInTheRecordBlock") {
  test::TempDir dir;
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  std::string pdf = Record(intake, dir, WithPatient());
  std::string last = PdfText(pdf, "-layout -f " + std::to_string(PdfPageCount(pdf)));
  std::string block = last.substr(last.find("Submission record"));
  CHECK(std::regex_search(block, std::regex("\n *Visit +" + kVisit + "\n")));
  CHECK(std::regex_search(block, std::regex("\n *Patient +" + kName + ", date of birth " + kBorn +
                                            ", no. " + kNumber + "\n")));
  // Between the received time and the form, as a record is read: when, who, what.
  CHECK(block.find("Received (UTC)") < block.find("Visit"));
  CHECK(block.find("Patient") < block.find("Definition SHA-256"));
}

TEST_CASE("RecordWithAPatientNamesThePatientOnEveryPage") {
  test::TempDir dir;
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  std::string pdf = Record(intake, dir, WithPatient());
  for (int i = 1; i <= PdfPageCount(pdf); ++i) {
    std::string text = CollapseWhitespace(PageText(pdf, i));
    CHECK_MESSAGE(
        text.find("Patient: " + kName + " · Date of birth: " + kBorn) != std::string::npos,
        "page " << i);
  }
}

TEST_CASE("RecordWithoutAVisitIdHasNoVisitRow") {
  test::TempDir dir;
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::string text = PdfText(Record(consent, dir, WithPatient(kNumber, "")), "-layout");
  std::string block = text.substr(text.find("Submission record"));
  CHECK(!std::regex_search(block, std::regex("\n *Visit ")));
  CHECK(std::regex_search(block, std::regex("\n *Patient +" + kName)));
}

TEST_CASE("RecordWithoutAPatientIsUnchanged") {
  test::TempDir dir;
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::string text = PdfText(Record(consent, dir, {}), "-layout");
  CHECK(text.find("Patient:") == std::string::npos);
  std::string block = text.substr(text.find("Submission record"));
  CHECK(!std::regex_search(block, std::regex("\n *(Visit|Patient) ")));
}

TEST_CASE("SealedRecordWithAPatientPassesQpdfCheck") {
  test::TempDir dir;
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  RenderOptions options = WithPatient();
  options.seal = SealAppearance{"Clínica Muñoz", "2026-11-23T10:15:02Z", kUuid};
  std::string pdf = Record(consent, dir, options);
  auto result = Run("qpdf --check " + ShellQuote(pdf));
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("WARNING") == std::string::npos);
  CHECK(PdfText(pdf).find("Electronically sealed by") != std::string::npos);
}

}  // namespace
}  // namespace consentkit
