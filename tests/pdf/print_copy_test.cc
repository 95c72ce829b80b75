// RenderPrintCopy: two records sealed as the service seals them (rendered
// with RenderOptions::seal, then SealPdf) merged into one print copy, and
// judged by pdfinfo, pdftotext, pdfsig, pypdf and qpdf.
#include <doctest/doctest.h>

#include <sstream>

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

using test::MustLoadShipped;
using test::PdfPageCount;
using test::PdfText;
using test::Run;
using test::ShellQuote;
using test::TestClinic;

const std::string kSealedAt = "2026-11-23T10:15:02Z";
const std::string kLabel = "Visit V-2026-11-23-0042, Zoë Muñoz";
const std::string kCopyNotice = "COPY — the sealed originals are the records";

// The clinic's seal, made once for the suite.
const SigningIdentity& Clinic() {
  static const test::TempDir dir;
  static const SigningIdentity identity = [] {
    CreateSelfSignedIdentity(dir.path(), TestClinic().name);
    return SigningIdentity::Load(dir.File(kSealCertFile), dir.File(kSealKeyFile));
  }();
  return identity;
}

std::string SealedRecord(const std::string& form_file, const std::string& uuid) {
  FormPtr form = MustLoadShipped(form_file);
  ValidSubmission submission = test::MustValidate(form, test::FilledSubmission(*form, uuid));
  RenderOptions options;
  options.seal = SealAppearance{TestClinic().name, kSealedAt, uuid};
  options.patient = PatientIdentity{"Zoë Muñoz", "1990-02-28", "MRN-004217", "V-2026-11-23-0042"};
  return SealPdf(
      RenderSubmission(submission, Screen(submission), {uuid, kSealedAt}, TestClinic(), options),
      Clinic());
}

// A visit's two records, in the order the copy is asked for: intake, consent.
const std::vector<std::string>& VisitRecords() {
  static const std::vector<std::string> records = {
      SealedRecord("microneedling-intake.xml", "7d1c2b3a-0000-4000-8000-000000000001"),
      SealedRecord("microneedling-consent.xml", "7d1c2b3a-0000-4000-8000-000000000002")};
  return records;
}

struct Files {
  test::TempDir dir;
  std::string copy = dir.Write("copy.pdf", RenderPrintCopy(VisitRecords(), kLabel));
  std::string first = dir.Write("intake.pdf", VisitRecords()[0]);
  std::string second = dir.Write("consent.pdf", VisitRecords()[1]);
};

std::string RawPageText(const std::string& pdf, int page) {
  std::string n = std::to_string(page);
  return PdfText(pdf, "-f " + n + " -l " + n);
}

std::string PageText(const std::string& pdf, int page) {
  return CollapseWhitespace(RawPageText(pdf, page));
}

TEST_CASE("PrintCopyHasThePagesOfEveryRecordInTheOrderGiven") {
  Files files;
  int first = PdfPageCount(files.first), second = PdfPageCount(files.second);
  int total = PdfPageCount(files.copy);
  CHECK(total == first + second);
  for (int i = 1; i <= total; ++i) {
    const char* form =
        i <= first ? "microneedling-intake · version" : "microneedling-consent · version";
    CHECK_MESSAGE(PageText(files.copy, i).find(form) != std::string::npos, "page " << i);
  }
  // Page for page, the copy shows every line the record shows (the last
  // pages differ: their seal is gone, see below).
  for (int i : {1, first - 1, first + 1}) {
    const std::string& record = i <= first ? files.first : files.second;
    std::string copy = RawPageText(files.copy, i);
    std::istringstream lines(RawPageText(record, i <= first ? i : i - first));
    for (std::string line; std::getline(lines, line);) {
      CHECK_MESSAGE(copy.find(line) != std::string::npos, "page " << i << ": " << line);
    }
  }
}

TEST_CASE("EveryPageOfThePrintCopySaysItIsACopy") {
  Files files;
  int total = PdfPageCount(files.copy);
  for (int i = 1; i <= total; ++i) {
    std::string text = PageText(files.copy, i);
    CHECK_MESSAGE(text.find(kCopyNotice) != std::string::npos, "page " << i << ": " << text);
    CHECK_MESSAGE(text.find("page " + std::to_string(i) + " of " + std::to_string(total)) !=
                      std::string::npos,
                  "page " << i);
    CHECK_MESSAGE(text.find(kLabel) != std::string::npos, "page " << i);
  }
}

TEST_CASE("PrintCopyHasNoSignatures") {
  Files files;
  // The records it was made from are sealed...
  CHECK(Run("pdfsig " + ShellQuote(files.first)).out.find("Signature #1") != std::string::npos);
  // ...the copy is not.
  auto result = Run("pdfsig " + ShellQuote(files.copy));
  CHECK(result.out.find("Signature #") == std::string::npos);
  CHECK(result.out.find("does not contain any signatures") != std::string::npos);
}

TEST_CASE("PrintCopyHasNoFieldsOrAnnotations") {
  Files files;
  auto result =
      Run(std::string(CK_PYTHON) + " " + test::SourcePath("tests/pdf/check_flattened.py") + " " +
          ShellQuote(files.copy));
  CHECK(result.out + result.err == "OK\n");
  auto json = Run("qpdf --json --json-key=acroform " + ShellQuote(files.copy));
  CHECK(json.out.find("\"hasacroform\": false") != std::string::npos);
}

TEST_CASE("PrintCopySaysWhereEachRecordsSealWas") {
  Files files;
  std::string text = CollapseWhitespace(PdfText(files.copy));
  CHECK(test::CountOf(text, "The electronic seal is on the sealed original, not on this copy.") ==
        2);
  CHECK(text.find("Electronically sealed by") == std::string::npos);  // the stamp went with it
}

TEST_CASE("PrintCopyPassesQpdfCheck") {
  Files files;
  auto result = Run("qpdf --check " + ShellQuote(files.copy));
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("No syntax or stream encoding errors") != std::string::npos);
  CHECK(result.out.find("WARNING") == std::string::npos);
  CHECK(result.err.empty());
}

TEST_CASE("PrintCopyIsTitledWithItsLabel") {
  Files files;
  auto info = Run("pdfinfo " + ShellQuote(files.copy));
  CHECK(info.out.find("Title:           " + kLabel + "\n") != std::string::npos);
}

TEST_CASE("PrintCopyIsReproducible") {
  CHECK(RenderPrintCopy(VisitRecords(), kLabel) == RenderPrintCopy(VisitRecords(), kLabel));
}

TEST_CASE("LongLabelIsCutInTheMargin") {
  std::string label = "Visit V-0042 of";
  while (label.size() < 300) label += " a patient with a very long name";
  test::TempDir dir;
  std::string text = PageText(dir.Write("copy.pdf", RenderPrintCopy(VisitRecords(), label)), 1);
  CHECK(text.find(kCopyNotice) != std::string::npos);
  CHECK(text.find("… · page 1 of") != std::string::npos);
}

TEST_CASE("LabelOutsideWindows1252IsMarkedInTheMarginAndWholeInTheTitle") {
  test::TempDir dir;
  std::string copy = dir.Write("copy.pdf", RenderPrintCopy(VisitRecords(), "Visit 7, Łukasz Żółć"));
  CHECK(PageText(copy, 1).find("Visit 7, ?ukasz ?ó?? · page 1 of") != std::string::npos);
  CHECK(Run("pdfinfo " + ShellQuote(copy)).out.find("Title:           Visit 7, Łukasz Żółć\n") !=
        std::string::npos);
}

TEST_CASE("PrintCopyOfANonPdfNamesTheRecord") {
  std::vector<std::string> records = {VisitRecords()[0], "this is not a PDF", VisitRecords()[1]};
  try {
    RenderPrintCopy(records, kLabel);
    FAIL("no PdfError");
  } catch (const PdfError& e) {
    CHECK_MESSAGE(std::string(e.what()).find("cannot make the print copy: record sealed_pdfs[1] "
                                             "cannot be read as a PDF: ") == 0,
                  e.what());
  }
}

TEST_CASE("PrintCopyOfACutRecordNamesTheRecord") {
  std::string cut = VisitRecords()[1].substr(0, VisitRecords()[1].size() / 2);
  CHECK_THROWS_WITH_AS(RenderPrintCopy({VisitRecords()[0], cut}, kLabel),
                       doctest::Contains("record sealed_pdfs[1] cannot be read"), PdfError);
}

TEST_CASE("PrintCopyOfNoRecordsIsRefused") {
  CHECK_THROWS_WITH_AS(RenderPrintCopy({}, kLabel), "nothing to print: no sealed records given",
                       PdfError);
}

}  // namespace
}  // namespace consentkit
