// Countersigns sealed records and asks outside tools to judge them: pdfsig
// (poppler), qpdf, pypdf, pdftotext and pdftoppm. Tampers with the sealed
// revision, the update and the end of the file one way at a time and checks
// which signatures VerifyPdfSignatures then rejects, and how it says so.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <regex>

#include "seal/fixtures.h"
#include "seal/pdf_reader.h"
#include "seal/seal.h"
#include "support/filled.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using namespace test::seal;  // the fixtures shared with seal_test.cc
using test::Run;
using test::ShellQuote;

const std::string kPractitioner = "Dr Ana Pérez";
const std::string kReviewedAt = "2026-11-24T09:30:00Z";
const std::string kNote = "Skin calm, no active acne. Go ahead at 1.0 mm.";

Countersignature Review(const std::string& decision = "proceed") {
  Countersignature review;
  review.practitioner_name = kPractitioner;
  review.decision = decision;
  review.note = kNote;
  review.signed_at_utc = kReviewedAt;
  review.drawing = test::SampleSignature();
  return review;
}

// Sealed() countersigned once; tests that change it work on copies.
const std::string& Countersigned() {
  static const std::string pdf = CountersignPdf(Sealed(), Clinic(), Review());
  return pdf;
}

std::vector<SignatureCheck> Checks(const std::string& pdf) {
  return VerifyPdfSignatures(pdf, Clinic().certificate_pem());
}

// pdfsig's report, one part per signature ("Signature #1:" onwards).
std::vector<std::string> PdfSigParts(const std::string& pdf) {
  std::string report = PdfSig(pdf);
  std::vector<std::string> parts;
  for (std::size_t at = report.find("Signature #"); at != std::string::npos;) {
    std::size_t next = report.find("Signature #", at + 1);
    parts.push_back(report.substr(at, next == std::string::npos ? next : next - at));
    at = next;
  }
  return parts;
}

std::string Quiet(const std::string& command) {
  auto result = Run(command);
  return std::to_string(result.exit_code) + "\n" + result.out + result.err;
}

std::string LastPageText(const std::string& pdf) {
  test::TempDir dir;
  std::string path = dir.Write("record.pdf", pdf);
  std::string last = std::to_string(test::PdfPageCount(path));
  return test::PdfText(path, "-f " + last + " -l " + last);
}

TEST_CASE("CountersignedRecordHasTwoValidSignaturesForPdfsig") {
  std::vector<std::string> parts = PdfSigParts(Countersigned());
  REQUIRE(parts.size() == 2);
  for (const std::string& part : parts) {
    CHECK_MESSAGE(part.find(kValid) != std::string::npos, part);
    CHECK(part.find("Signature Type: adbe.pkcs7.detached") != std::string::npos);
    CHECK(part.find("Signing Hash Algorithm: SHA-256") != std::string::npos);
  }
  CHECK(parts[0].find("Signature Field Name: seal") != std::string::npos);
  CHECK(parts[0].find("- Not total document signed") != std::string::npos);
  CHECK(parts[1].find("Signature Field Name: countersignature") != std::string::npos);
  CHECK(parts[1].find("- Total document signed") != std::string::npos);
  MESSAGE(PdfSig(Countersigned()));
}

TEST_CASE("CountersignedRecordPassesQpdfCheck") {
  test::TempDir dir;
  auto result = Run("qpdf --check " + ShellQuote(dir.Write("countersigned.pdf", Countersigned())));
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("No syntax or stream encoding errors") != std::string::npos);
  CHECK(result.out.find("WARNING") == std::string::npos);
  CHECK(result.err.empty());
}

TEST_CASE("PypdfSeesTwoSignatureFields") {
  CHECK(Pypdf(Countersigned(),
              "for name, field in r.get_fields().items(): print(name, field.get('/FT'))\n") ==
        "seal /Sig\ncountersignature /Sig\n");
}

// Below the seal's stamp, above the footer (its rule is at y 44), on the
// last page, and the widget is the field.
TEST_CASE("StampIsUnderTheSealStampAndAboveTheFooter") {
  CHECK(Pypdf(Countersigned(), R"(
page = r.pages[-1]
rects = {a.get_object()['/T']: [float(x) for x in a.get_object()['/Rect']] for a in page['/Annots']}
seal, review = rects['seal'], rects['countersignature']
problems = []
if not review[3] <= seal[1] - 10: problems.append('not under the seal stamp: %s %s' % (seal, review))
if not review[1] >= 50: problems.append('too low: %s' % review)
if abs(review[0] - seal[0]) > 0.01 or abs(review[2] - seal[2]) > 0.01: problems.append('not aligned: %s %s' % (seal, review))
field = r.get_fields()['countersignature']
if field['/V']['/Name'] != 'Dr Ana Pérez': problems.append('name: %r' % field['/V']['/Name'])
if r.trailer['/Root']['/AcroForm']['/SigFlags'] != 3: problems.append('SigFlags')
print('\n'.join(problems) or 'OK')
)") == "OK\n");
}

TEST_CASE("LastPageShowsThePractitionerReview") {
  std::string text = LastPageText(Countersigned());
  for (const std::string& line :
       {std::string("Practitioner review"), std::string("Decision: proceed"), "Note: " + kNote,
        "Reviewed by " + kPractitioner, std::string("Signed 2026-11-24 09:30:00 UTC"),
        "Electronically sealed by " + kClinicName}) {
    CHECK_MESSAGE(text.find(line) != std::string::npos, "no \"" << line << "\" in\n" << text);
  }
  // For people to look at: seal-shots/countersigned-last-page.png.
  test::TempDir dir;
  std::string path = dir.Write("countersigned.pdf", Countersigned());
  std::string last = std::to_string(test::PdfPageCount(path));
  Run("mkdir -p " + ShellQuote(CK_SEAL_SHOTS));
  auto shot =
      Run("pdftoppm -r 110 -png -singlefile -f " + last + " -l " + last + " " + ShellQuote(path) +
          " " + ShellQuote(std::string(CK_SEAL_SHOTS) + "/countersigned-last-page"));
  CHECK(shot.exit_code == 0);
}

TEST_CASE("VerifyPdfSignaturesAcceptsTheSealAndTheCountersignature") {
  std::vector<SignatureCheck> checks = Checks(Countersigned());
  REQUIRE(checks.size() == 2);
  for (const SignatureCheck& check : checks) {
    CHECK(check.seal.problem == "");
    CHECK(check.seal.valid);
    CHECK(check.seal.signer_common_name == kClinicName);
    CHECK(check.seal.signer_fingerprint_sha256 == Clinic().fingerprint_sha256());
  }
  CHECK(checks[0].name == kClinicName);
  CHECK(checks[1].name == kPractitioner);
  CHECK(checks[0].signed_length == Sealed().size());
  CHECK(checks[1].signed_length == Countersigned().size());
}

TEST_CASE("VerifyPdfSignaturesOfASealedRecordIsTheSealsCheck") {
  std::vector<SignatureCheck> checks = Checks(Sealed());
  REQUIRE(checks.size() == 1);
  CHECK(checks[0].seal.valid);
  CHECK(checks[0].signed_length == Sealed().size());
  CHECK(Checks(RenderRecord(false)).empty());
}

TEST_CASE("SealedBytesAreKeptAsAPrefix") {
  REQUIRE(Countersigned().size() > Sealed().size());
  CHECK(Countersigned().compare(0, Sealed().size(), Sealed()) == 0);
}

TEST_CASE("ChangedByteInTheSealedRevisionBreaksBothSignatures") {
  std::size_t created = Countersigned().find("/CreationDate (D:");
  REQUIRE(created < Sealed().size());
  std::string changed = Flipped(Countersigned(), created + 20);
  std::vector<SignatureCheck> checks = Checks(changed);
  REQUIRE(checks.size() == 2);
  CHECK(checks[0].seal.problem == kChanged);
  CHECK(checks[1].seal.problem == kChanged);
  CHECK(PdfSig(changed).find(kValid) == std::string::npos);
}

TEST_CASE("ChangedByteInTheUpdateBreaksOnlyTheCountersignature") {
  std::size_t date = Countersigned().find("/M (D:2026", Sealed().size());
  REQUIRE(date != std::string::npos);
  std::string changed = Flipped(Countersigned(), date + 10);
  std::vector<SignatureCheck> checks = Checks(changed);
  REQUIRE(checks.size() == 2);
  CHECK(checks[0].seal.problem == "");
  CHECK(checks[1].seal.problem == kChanged);
  std::vector<std::string> parts = PdfSigParts(changed);
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].find(kValid) != std::string::npos);
  CHECK(parts[1].find(kValid) == std::string::npos);
}

TEST_CASE("AppendedBytesBreakOnlyTheLastSignature") {
  std::vector<SignatureCheck> checks = Checks(Countersigned() + "junk\n");
  REQUIRE(checks.size() == 2);
  CHECK(checks[0].seal.problem == "");
  CHECK(checks[1].seal.problem ==
        "byte range does not cover the whole file: 5 bytes after the signed range (added after "
        "sealing)");
}

// The update's trailer no longer leads back to the sealed revision: what
// follows the seal is then not an update of it.
TEST_CASE("UpdateThatDoesNotLeadBackToTheSealIsNotAnIncrementalUpdate") {
  std::string changed = Countersigned();
  std::size_t prev = changed.find("/Prev ", Sealed().size());
  REQUIRE(prev != std::string::npos);
  for (std::size_t at = prev + 6; changed[at] >= '0' && changed[at] <= '9'; ++at) changed[at] = '0';
  std::vector<SignatureCheck> checks = Checks(changed);
  REQUIRE(checks.size() == 2);
  CHECK(MatchError(checks[0].seal.problem,
                   {"the bytes after the signed revision are not an incremental update of it",
                    "byte 0 is not a cross-reference table"}) == "OK");
  CHECK(checks[1].seal.problem == kChanged);
}

TEST_CASE("VerifySealedPdfStillWantsExactlyOneSignature") {
  SealCheck check = VerifySealedPdf(Countersigned(), Clinic().certificate_pem());
  CHECK_FALSE(check.valid);
  CHECK(check.problem == "the PDF has 2 signatures (/ByteRange values); expected exactly one");
  CHECK(VerifySealedPdf(Sealed(), Clinic().certificate_pem()).valid);
}

// The practitioner's own certificate signs too; what it is checked against
// is the caller's choice, and only the countersignature is not the clinic's.
TEST_CASE("CountersignatureOfAnotherCertificateIsNotTheClinics") {
  std::vector<SignatureCheck> checks = Checks(CountersignPdf(Sealed(), OtherClinic(), Review()));
  REQUIRE(checks.size() == 2);
  CHECK(checks[0].seal.valid);
  CHECK(MatchError(checks[1].seal.problem, {"signed by CN=Other Clinic"}) == "OK");
  CHECK(checks[1].seal.signer_common_name == "Other Clinic");
}

TEST_CASE("CountersigningTwiceMakesThreeValidSignatures") {
  std::string twice = CountersignPdf(Countersigned(), Clinic(), Review("defer"));
  std::vector<SignatureCheck> checks = Checks(twice);
  REQUIRE(checks.size() == 3);
  for (const SignatureCheck& check : checks) CHECK(check.seal.problem == "");
  CHECK(checks[1].signed_length == Countersigned().size());
  CHECK(checks[2].signed_length == twice.size());
  std::vector<std::string> parts = PdfSigParts(twice);
  REQUIRE(parts.size() == 3);
  for (const std::string& part : parts) CHECK(part.find(kValid) != std::string::npos);
  CHECK(parts[2].find("Signature Field Name: countersignature-2") != std::string::npos);
  CHECK(parts[2].find("- Total document signed") != std::string::npos);
  CHECK(LastPageText(twice).find("Decision: defer") != std::string::npos);
  test::TempDir dir;
  CHECK(Run("qpdf --check " + ShellQuote(dir.Write("twice.pdf", twice))).exit_code == 0);
}

// Two stamps fit under the seal on the test record's last page; the third
// goes on a page of its own at the end.
TEST_CASE("CountersignatureThatDoesNotFitAddsAPage") {
  std::string pdf = Countersigned();
  for (const char* decision : {"defer", "decline"}) {
    pdf = CountersignPdf(pdf, Clinic(), Review(decision));
  }
  test::TempDir dir;
  std::string path = dir.Write("thrice.pdf", pdf);
  CHECK(test::PdfPageCount(path) == test::PdfPageCount(dir.Write("sealed.pdf", Sealed())) + 1);
  CHECK(LastPageText(pdf).find("Decision: decline") != std::string::npos);
  std::vector<SignatureCheck> checks = Checks(pdf);
  REQUIRE(checks.size() == 4);
  for (const SignatureCheck& check : checks) CHECK(check.seal.problem == "");
  CHECK(test::CountOf(PdfSig(pdf), kValid) == 4);
  CHECK(Quiet("qpdf --check " + ShellQuote(path) + " >/dev/null") == "0\n");
}

// The update's text is in Helvetica; the signature's /Name keeps the name
// exactly.
TEST_CASE("CharactersWinAnsiCannotEncodeShowAsQuestionMarks") {
  Countersignature review = Review();
  review.practitioner_name = "Dr Łukasz Ωmega-Müller";
  std::string pdf = CountersignPdf(Sealed(), Clinic(), review);
  CHECK(LastPageText(pdf).find("Reviewed by Dr ?ukasz ?mega-Müller") != std::string::npos);
  CHECK(Checks(pdf).back().name == "Dr Łukasz Ωmega-Müller");
}

TEST_CASE("LongNoteIsCutOnTheStampAndKeptWholeInTheReason") {
  Countersignature review = Review();
  review.note.clear();
  for (int i = 0; i < 60; ++i) review.note += "sentence " + std::to_string(i) + " of the note. ";
  std::string pdf = CountersignPdf(Sealed(), Clinic(), review);
  std::string text = LastPageText(pdf);
  CHECK(text.find("…") != std::string::npos);
  CHECK(text.find("sentence 59") == std::string::npos);
  CHECK(Pypdf(pdf, "print(r.get_fields()['countersignature']['/V']['/Reason'])\n") ==
        "Practitioner review: proceed. Note: " + review.note + "\n");
  CHECK(Checks(pdf).back().seal.valid);
}

// acroform.cc writes the AcroForm as an object of its own; a form written
// inside the catalog (here by moving it there and letting qpdf rewrite the
// file) is updated in a new version of the catalog.
TEST_CASE("AcroFormInsideTheCatalogIsUpdatedWithIt") {
  std::string pdf = Unsealed();
  std::smatch ref;
  REQUIRE(std::regex_search(pdf, ref, std::regex("/AcroForm (\\d+) 0 R")));
  std::size_t object = pdf.find("\n" + ref[1].str() + " 0 obj\n");
  REQUIRE(object != std::string::npos);
  std::size_t begin = pdf.find("<<", object), end = pdf.find("\nendobj", begin);
  pdf.replace(static_cast<std::size_t>(ref.position(0)), static_cast<std::size_t>(ref.length(0)),
              "/AcroForm " + pdf.substr(begin, end - begin));
  test::TempDir dir;
  auto rewritten = Run("qpdf " + ShellQuote(dir.Write("moved.pdf", pdf)) + " " +
                       ShellQuote(dir.File("inline.pdf")));
  REQUIRE_MESSAGE(rewritten.exit_code != 2, rewritten.err);  // 3: warnings about the old offsets
  std::string sealed = SealPdf(ReadFile(dir.File("inline.pdf")), Clinic());
  std::string countersigned = CountersignPdf(sealed, Clinic(), Review());
  std::vector<SignatureCheck> checks = Checks(countersigned);
  REQUIRE(checks.size() == 2);
  for (const SignatureCheck& check : checks) CHECK(check.seal.problem == "");
  CHECK(Pypdf(countersigned,
              "for name, field in r.get_fields().items(): print(name, field.get('/FT'))\n") ==
        "seal /Sig\ncountersignature /Sig\n");
  CHECK(Quiet("qpdf --check " + ShellQuote(dir.Write("out.pdf", countersigned)) + " >/dev/null") ==
        "0\n");
}

// --- What CountersignPdf refuses -------------------------------------------

TEST_CASE("CountersignPdfRefusesANonPdf") {
  CHECK(SealErrorOf([] { CountersignPdf("hello", Clinic(), Review()); }) ==
        "cannot countersign: the file is not a PDF (it does not start with %PDF-)");
}

TEST_CASE("CountersignPdfRefusesAPdfWithoutSeal") {
  std::string plain = RenderRecord(false);
  CHECK(SealErrorOf([&] { CountersignPdf(plain, Clinic(), Review()); }) ==
        "cannot countersign: the PDF has no seal; expected a record sealed by SealPdf");
}

TEST_CASE("CountersignPdfRefusesAnUnsealedRecord") {
  CHECK(SealErrorOf([] { CountersignPdf(Unsealed(), Clinic(), Review()); }) ==
        "cannot countersign: signature 1 of 1 is not intact: the PDF was never sealed: its "
        "signature is still the empty placeholder");
}

TEST_CASE("CountersignPdfRefusesATamperedRecord") {
  std::string changed = Flipped(Sealed(), Sealed().find("/CreationDate (D:") + 20);
  CHECK(SealErrorOf([&] { CountersignPdf(changed, Clinic(), Review()); }) ==
        "cannot countersign: signature 1 of 1 is not intact: " + kChanged);
}

TEST_CASE("CountersignPdfRefusesBytesAfterTheLastSignature") {
  CHECK(MatchError(SealErrorOf([] { CountersignPdf(Countersigned() + "\n", Clinic(), Review()); }),
                   {"signature 2 of 2 is not intact", "does not cover the whole file"}) == "OK");
}

TEST_CASE("CountersignPdfRefusesAPdfNotMadeByConsentkit") {
  std::string other = Unsealed();
  std::size_t producer = other.find("(consentkit with libharu)");
  REQUIRE(producer != std::string::npos);
  other.replace(producer, 25, "(othertools with libharu)");  // the same length: no offset moves
  std::string sealed = SealPdf(other, Clinic());
  CHECK(SealErrorOf([&] { CountersignPdf(sealed, Clinic(), Review()); }) ==
        "cannot countersign: the PDF was not made by consentkit (its producer is \"othertools "
        "with libharu\")");
}

TEST_CASE("CountersignPdfRefusesAnEmptyName") {
  Countersignature review = Review();
  review.practitioner_name = " \t ";
  CHECK(SealErrorOf([&] { CountersignPdf(Sealed(), Clinic(), review); }) ==
        "cannot countersign: the practitioner's name is empty");
}

TEST_CASE("CountersignPdfRefusesAnUnknownDecision") {
  CHECK(SealErrorOf([] { CountersignPdf(Sealed(), Clinic(), Review("maybe")); }) ==
        "cannot countersign: the decision \"maybe\" is not one of proceed, defer or decline");
}

TEST_CASE("CountersignPdfRefusesATimeThatIsNotUtcIso") {
  Countersignature review = Review();
  review.signed_at_utc = "2026-11-24 09:30:00";
  CHECK(MatchError(SealErrorOf([&] { CountersignPdf(Sealed(), Clinic(), review); }),
                   {"is not UTC ISO 8601; expected 2026-11-23T10:15:02Z"}) == "OK");
}

TEST_CASE("CountersignPdfRefusesADrawingWithoutPoints") {
  Countersignature review = Review();
  review.drawing.strokes = {{}, {}};
  CHECK(SealErrorOf([&] { CountersignPdf(Sealed(), Clinic(), review); }) ==
        "cannot countersign: the practitioner's drawing has no strokes; expected a drawn "
        "signature");
}

TEST_CASE("CountersignPdfRefusesADrawingWithAPointThatIsNotANumber") {
  Countersignature review = Review();
  review.drawing.strokes[0][0].x = std::numeric_limits<float>::quiet_NaN();
  CHECK(SealErrorOf([&] { CountersignPdf(Sealed(), Clinic(), review); }) ==
        "cannot countersign: the practitioner's drawing has a point that is not a number");
}

TEST_CASE("CountersignPdfRefusesTextThatIsNotUtf8") {
  Countersignature review = Review();
  review.note = "bad \xC3 byte";
  CHECK(SealErrorOf([&] { CountersignPdf(Sealed(), Clinic(), review); }) ==
        "cannot countersign: the countersignature's text is not valid UTF-8");
}

// --- Damaged files -----------------------------------------------------------

// Walks the objects the countersignature reads, as CountersignPdf does.
void ReadEverything(const std::string& pdf) {
  PdfFile file(pdf);
  const PdfValue* root = FindEntry(file.trailer(), "Root");
  if (!root) return;
  PdfDict catalog = file.DictOf(*root, "catalog");
  if (const PdfValue* acroform = FindEntry(catalog, "AcroForm")) {
    file.DictOf(*acroform, "acroform");
  }
  if (const PdfValue* pages = FindEntry(catalog, "Pages")) {
    PdfDict tree = file.DictOf(*pages, "pages");
    if (const PdfValue* kids = FindEntry(tree, "Kids")) {
      for (const PdfValue& kid : ReadPdfArray(pdf, file.Resolve(*kids), "kids")) {
        file.DictOf(kid, "page");
      }
    }
  }
}

// The ways of damaging byte `at` of `pdf`: cut short there, its lowest bit
// flipped, a byte inserted before it.
std::vector<std::string> Damaged(const std::string& pdf, std::size_t at) {
  return {pdf.substr(0, at), Flipped(pdf, at), pdf.substr(0, at) + "\x80" + pdf.substr(at)};
}

// Damaged anywhere in either revision's tables and trailer or in the
// update's last objects, the reader throws SealError or reads something:
// it never reads outside the file (the sanitizer build would stop) or
// throws anything else. Every 16th file also goes through the whole check,
// whose revision check reads the tables too.
TEST_CASE("DamagedFilesNeverCrashTheReader") {
  const std::string& pdf = Countersigned();
  std::size_t sealed_tables = Sealed().rfind("endobj"), update_tables = pdf.rfind("endobj") - 200;
  int files = 0, refused = 0;
  for (std::size_t from : {sealed_tables, update_tables}) {
    for (std::size_t at = from; at < pdf.size() && at < from + 1200; ++at) {
      for (const std::string& damaged : Damaged(pdf, at)) {
        try {
          ReadEverything(damaged);
        } catch (const SealError&) {
          ++refused;
        }
        if (files++ % 16 == 0) CHECK(Checks(damaged).size() >= 1);
      }
    }
  }
  CHECK(refused > 0);
  MESSAGE(refused << " of " << files << " damaged files refused by the reader");
}

// The binding is the seal's, the first signature; a countersignature's
// /Reason is the practitioner's note and names no record.
TEST_CASE("CountersignedRecordStillNamesTheSealsRecord") {
  std::string twice = CountersignPdf(Countersigned(), Clinic(), Review("defer"));
  std::vector<SignatureCheck> checks = Checks(twice);
  REQUIRE(checks.size() == 3);
  for (const SignatureCheck& check : checks) CHECK(check.seal.problem == "");
  CHECK(checks[0].seal.sealed_submission_id == kUuid);
  CHECK(checks[0].seal.sealed_content_sha256 == kContentSha256);
  for (std::size_t i = 1; i < checks.size(); ++i) {
    CHECK(checks[i].seal.sealed_submission_id.empty());
    CHECK(checks[i].seal.sealed_content_sha256.empty());
  }
}

}  // namespace
}  // namespace consentkit
