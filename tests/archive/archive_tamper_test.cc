// Archives that cannot be narrowed: each case exports a real archive from a
// real store, changes it the way an outsider would (Python's zipfile, raw
// bytes, another key), and asserts that verify fails and names what
// changed. The helpers are minimal copies of archive_test.cc's (seal,
// sealed submissions, rezip), kept here so this file stands alone.
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <streambuf>

#include "api/api.h"
#include "archive/archive.h"
#include "archive/data_folder.h"
#include "pdf/pdf.h"
#include "seal/seal.h"
#include "store/store.h"
#include "submission/submission.h"
#include "support/filled.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::Run;
using test::ShellQuote;

const SigningIdentity& ClinicIdentity() { return test::ClinicSeal(); }

// Someone else's key: what a forger who rewrote the manifest could sign with.
const SigningIdentity& OtherIdentity() {
  static test::TempDir dir;
  static SigningIdentity identity = [] {
    CreateSelfSignedIdentity(dir.path(), "Harbourview Skin Clinic");
    return SigningIdentity::Load(dir.File(kSealCertFile), dir.File(kSealKeyFile));
  }();
  return identity;
}

std::string TamperUuid(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "7a2c9e00-2222-4333-8444-%012d", n);
  return text;
}

// Stored as intake stores one, the seal bound to the record's id and content.
SubmissionRecord StoreSealedRecord(Store& store, const std::string& id,
                                   const std::string& received_at) {
  LoadResult loaded = LoadFormFile(test::SourcePath("forms/microneedling-consent.xml"));
  REQUIRE(loaded.ok());
  const FormDefinition& form = *loaded.form;
  ValidSubmission valid = test::MustValidate(loaded.form, test::FilledSubmission(form, id));
  ScreeningResult screening = Screen(valid);
  SubmissionRecord r;
  r.id = id;
  r.form_id = form.id;
  r.form_version = form.version;
  r.form_sha256 = form.sha256_hex;
  r.language = form.lang;
  r.received_at = received_at;
  r.outcome = screening.outcome;
  r.reasons = screening.reasons;
  r.content_json = CanonicalSubmissionJson(valid.submission());
  r.content_sha256 = Sha256Hex(r.content_json);
  RenderOptions options;
  options.seal = SealAppearance{"Harbourview Skin Clinic", UtcNow(), id, r.content_sha256};
  std::string pdf =
      SealPdf(RenderSubmission(valid, screening, {id, received_at}, ClinicSettings{}, options),
              ClinicIdentity());
  r.pdf_sha256 = Sha256Hex(pdf);
  REQUIRE(store.Put(r, pdf, form, "tok_tablet01").status == PutStatus::kStored);
  return r;
}

// A store with three sealed records (received at distinct times, in id
// order) and an archive of all of it, exported as the CLI does.
struct Exported {
  test::TempDir dir;
  std::unique_ptr<Store> store;
  std::vector<SubmissionRecord> records;
  ExportRequest request;
  ExportSummary summary;
  std::string zip;

  Exported() {
    store = OpenSqliteStore(dir.path());
    for (int n = 1; n <= 3; ++n) {
      records.push_back(
          StoreSealedRecord(*store, TamperUuid(n), "2026-11-2" + std::to_string(n) + "T10:00:00Z"));
    }
    request.certificate_pem = ClinicIdentity().certificate_pem();
    request.clinic_name = "Harbourview Skin Clinic";
    request.exported_at = UtcNow();
    request.actor = "tok_compliance1";
    request.signer = &ClinicIdentity();
    zip = dir.File("archive.zip");
    RecordExportStarted(*store, request);
    std::ofstream out(zip, std::ios::binary);
    summary = ExportArchive(*store, request, out);
    out.close();
    RecordExport(*store, request, summary);
  }
};

std::string AllProblems(const VerifyReport& report) {
  std::string all;
  for (const std::string& p : report.problems) all += p + "\n";
  return all;
}

bool Names(const VerifyReport& report, const std::string& text) {
  return AllProblems(report).find(text) != std::string::npos;
}

std::string ReadEntryOf(const std::string& zip, const std::string& name) {
  std::ifstream in(zip, std::ios::binary);
  Poco::Zip::ZipArchive archive(in);
  auto header = archive.findHeader(name);
  REQUIRE(header != archive.headerEnd());
  Poco::Zip::ZipInputStream entry(in, header->second, true);
  std::string bytes;
  Poco::StreamCopier::copyToString(entry, bytes);
  return bytes;
}

// Rebuilds a zip with Python's zipfile, applying one change.
const char kTamper[] = R"py(
import sys, zipfile
src, dst, op = sys.argv[1:4]
args = sys.argv[4:]
with zipfile.ZipFile(src) as zin:
    entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
with zipfile.ZipFile(dst, "w") as zout:
    for info, data in entries:
        if op == "remove" and info.filename in args:
            continue
        if op == "replace" and info.filename == args[0]:
            old, new = args[1].encode(), args[2].encode()
            assert old in data, "nothing to replace"
            data = data.replace(old, new, 1)
        if op == "put" and info.filename == args[0]:
            data = open(args[1], "rb").read()
        if op == "swap" and info.filename in args[:2]:
            other = args[1] if info.filename == args[0] else args[0]
            data = dict((i.filename, d) for i, d in entries)[other]
        zout.writestr(info, data)
    if op == "empty-name":
        zout.writestr(zipfile.ZipInfo(""), b"hidden")
    if op == "duplicate":
        zout.writestr(args[0], b"%PDF-1.7 a second file under the same name")
)py";

std::string Tamper(const Exported& f, const std::string& op, std::vector<std::string> args = {}) {
  std::string script = f.dir.Write("tamper.py", kTamper);
  std::string out = f.dir.File("tampered-" + op + ".zip");
  std::string command = std::string(CK_PYTHON) + " -W ignore " + ShellQuote(script) + " " +
                        ShellQuote(f.zip) + " " + ShellQuote(out) + " " + op;
  for (const std::string& a : args) command += " " + ShellQuote(a);
  test::CommandResult r = Run(command);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return out;
}

std::string ManifestEntryOf(const std::string& manifest, const std::string& id) {
  std::size_t start = manifest.find("{\"id\":\"" + id + "\"");
  REQUIRE(start != std::string::npos);
  return manifest.substr(start, manifest.find('\n', start) - start);
}

TEST_CASE("an honest archive verifies, and openssl accepts manifest.sig over manifest.json") {
  Exported f;
  VerifyReport report = VerifyArchive(f.zip, ClinicIdentity().certificate_pem());
  CHECK_MESSAGE(report.ok, AllProblems(report));
  CHECK(report.summary.find("verifies: its manifest is signed; all 3 submissions") !=
        std::string::npos);
  CHECK(report.summary.find("3 of them naming their very record") != std::string::npos);
  CHECK(report.summary.find("Harbourview Skin Clinic") != std::string::npos);

  std::string manifest = ReadEntryOf(f.zip, "manifest.json");
  CHECK(manifest.find("\"format\":\"consentkit-archive/3\"") != std::string::npos);
  CHECK(manifest.find("\"counts\":{\"submissions\":3,\"reviewed\":0,\"definitions\":1}") !=
        std::string::npos);
  std::string entry = ManifestEntryOf(manifest, f.records[0].id);
  for (const char* field : {"\"form_sha256\":", "\"content_sha256\":", "\"reasons\":[",
                            "\"language\":", "\"visit_id\":\"\"",
                            "\"needs_review\":", "\"witness\":null", "\"file_sha256\":"}) {
    CHECK_MESSAGE(entry.find(field) != std::string::npos, field);
  }
  CHECK(ReadEntryOf(f.zip, "records/" + f.records[0].id + ".json") == f.records[0].content_json);

  std::string manifest_file = f.dir.Write("manifest.json", manifest);
  std::string sig_file = f.dir.Write("manifest.sig", ReadEntryOf(f.zip, "manifest.sig"));
  std::string cert_file = f.dir.Write("cert.pem", ClinicIdentity().certificate_pem());
  test::CommandResult openssl =
      Run("openssl cms -verify -binary -inform DER -in " + ShellQuote(sig_file) + " -content " +
          ShellQuote(manifest_file) + " -CAfile " + ShellQuote(cert_file) +
          " -purpose any -out /dev/null");
  CHECK_MESSAGE(openssl.exit_code == 0, openssl.err);
  CHECK(openssl.err.find("Verification successful") != std::string::npos);
  // The same signature over a changed manifest: openssl refuses it too.
  std::string changed = f.dir.Write("changed.json", manifest + " ");
  CHECK(Run("openssl cms -verify -binary -inform DER -in " + ShellQuote(sig_file) + " -content " +
            ShellQuote(changed) + " -CAfile " + ShellQuote(cert_file) +
            " -purpose any -out /dev/null")
            .exit_code != 0);

  // Both export events: started before the first byte, completed after.
  std::vector<AuditEvent> exports;
  f.store->ForEachAuditEvent(1, 0, [&](const AuditEvent& e) {
    if (e.action.rfind("archive.", 0) == 0) exports.push_back(e);
  });
  REQUIRE(exports.size() == 2);
  CHECK(exports[0].action == "archive.exported");
  CHECK(exports[0].detail.find("state=started;from=;to=") == 0);
  CHECK(exports[1].action == "archive.completed");
  CHECK(exports[1].detail.find("submissions=3;started_seq=" + std::to_string(exports[0].seq)) !=
        std::string::npos);
  CHECK(f.summary.started_seq == exports[0].seq);
}

TEST_CASE("a narrowed range with a dropped record is named: the signature and the export event") {
  Exported f;
  const std::string& dropped = f.records[1].id;
  std::string manifest = ReadEntryOf(f.zip, "manifest.json");
  std::string gone =
      Tamper(f, "remove", {"pdfs/" + dropped + ".pdf", "records/" + dropped + ".json"});
  std::string narrowed = f.dir.Write("narrowed.json", [&] {
    std::string text = manifest;
    std::string entry = ManifestEntryOf(text, dropped);
    text.erase(text.find(entry), entry.size() + 1);  // the entry, its comma and line end
    std::string from = "\"from\":\"\"";
    text.replace(text.find(from), from.size(), "\"from\":\"2099-01-01T00:00:00Z\"");
    return text;
  }());
  f.zip = gone;
  std::string zip = Tamper(f, "put", {"manifest.json", narrowed});
  VerifyReport report = VerifyArchive(zip, ClinicIdentity().certificate_pem());
  CHECK_FALSE(report.ok);
  CHECK(report.first_problem.find("manifest.sig does not verify over manifest.json") == 0);
  CHECK(Names(report, "manifest.json: its from is \"2099-01-01T00:00:00Z\", but audit event "));
  CHECK(Names(report, "recorded the export with from=\"\""));
  CHECK(Names(report, "submission " + dropped + " (stored in audit event "));
  CHECK(Names(report, "(in the range audit event "));
  CHECK(report.summary.find("2099") == std::string::npos);
  CHECK(report.summary.find("all 2 submissions") == std::string::npos);
}

TEST_CASE("an edited outcome, received time or clinic in the manifest is named") {
  Exported f;
  const SubmissionRecord& victim = f.records[0];
  std::string outcome = std::string("\"outcome\":\"") + ToString(victim.outcome) + "\"";
  SUBCASE("outcome") {
    std::string other = victim.outcome == Outcome::kDefer ? "suitable" : "defer";
    VerifyReport report = VerifyArchive(
        Tamper(f, "replace", {"manifest.json", outcome, "\"outcome\":\"" + other + "\""}), "");
    CHECK_FALSE(report.ok);
    CHECK(Names(report, "manifest.sig does not verify"));
    CHECK(Names(report,
                "submission " + victim.id + ": its manifest entry (outcome \"" + other + "\""));
    CHECK(Names(report, "is not the record audit event "));
  }
  SUBCASE("received_at") {
    VerifyReport report =
        VerifyArchive(Tamper(f, "replace",
                             {"manifest.json", "\"received_at\":\"" + victim.received_at + "\"",
                              "\"received_at\":\"2026-11-30T10:00:00Z\""}),
                      "");
    CHECK_FALSE(report.ok);
    CHECK(Names(report, "submission " + victim.id + ": its manifest entry ("));
    CHECK(Names(report, "received_at 2026-11-30T10:00:00Z"));
  }
  SUBCASE("clinic: not shown, since the manifest is no longer signed") {
    VerifyReport report =
        VerifyArchive(Tamper(f, "replace",
                             {"manifest.json", "\"clinic\":\"Harbourview Skin Clinic\"",
                              "\"clinic\":\"Totally Legit Clinic\""}),
                      ClinicIdentity().certificate_pem());
    CHECK_FALSE(report.ok);
    CHECK(report.first_problem.find("manifest.sig does not verify over manifest.json") == 0);
    CHECK(report.summary.find("Totally Legit") == std::string::npos);
    CHECK(report.summary.find("whose manifest is not signed by the trusted certificate") !=
          std::string::npos);
  }
}

TEST_CASE("a removed manifest signature, or one by another key, is named") {
  Exported f;
  SUBCASE("removed") {
    VerifyReport report = VerifyArchive(Tamper(f, "remove", {"manifest.sig"}), "");
    CHECK_FALSE(report.ok);
    CHECK(report.first_problem ==
          "manifest.sig is missing from the archive: manifest.json is not signed, so nothing it "
          "says can be trusted");
    CHECK(report.summary.find("exported " + f.request.exported_at) == std::string::npos);
  }
  SUBCASE("another key, also with that key's certificate in the archive") {
    std::string manifest = ReadEntryOf(f.zip, "manifest.json");
    std::string forged = f.dir.Write("forged.sig", SignDetachedData(manifest, OtherIdentity()));
    std::string zip = Tamper(f, "put", {"manifest.sig", forged});
    VerifyReport pinned = VerifyArchive(zip, ClinicIdentity().certificate_pem());
    CHECK_FALSE(pinned.ok);
    CHECK(pinned.first_problem.find("manifest.sig does not verify over manifest.json with the "
                                    "pinned certificate \"Harbourview Skin Clinic\": ") == 0);
    // The archive's own certificate swapped too: the manifest names the
    // clinic's certificate, so that is caught, and the signature still fails.
    std::string cert = f.dir.Write("other.pem", OtherIdentity().certificate_pem());
    f.zip = zip;
    VerifyReport own = VerifyArchive(Tamper(f, "put", {"certificate.pem", cert}), "");
    CHECK_FALSE(own.ok);
    CHECK(Names(own, "is not the certificate the manifest names"));
  }
}

TEST_CASE("bytes appended after the zip are named with their count") {
  Exported f;
  std::string zip = f.dir.File("appended.zip");
  {
    std::ofstream out(zip, std::ios::binary);
    out << ReadFile(f.zip) << std::string(37, 'x');
  }
  VerifyReport report = VerifyArchive(zip, "");
  CHECK_FALSE(report.ok);
  CHECK(report.first_problem.find(zip + " has 37 bytes after the end of its zip") == 0);
}

TEST_CASE("an empty entry name and a duplicate entry name are named, not thrown") {
  Exported f;
  SUBCASE("empty") {
    VerifyReport report;
    REQUIRE_NOTHROW(report = VerifyArchive(Tamper(f, "empty-name"), ""));
    CHECK_FALSE(report.ok);
    CHECK(Names(report, " has an empty name; expected a relative path"));
  }
  SUBCASE("duplicate") {
    std::string name = "pdfs/" + f.records[0].id + ".pdf";
    VerifyReport report;
    REQUIRE_NOTHROW(report = VerifyArchive(Tamper(f, "duplicate", {name}), ""));
    CHECK_FALSE(report.ok);
    CHECK(Names(report, "\"" + name + "\" has the same name as an earlier entry"));
  }
}

TEST_CASE("a PDF swapped between two ids names both") {
  Exported f;
  const std::string &a = f.records[0].id, &b = f.records[2].id;
  VerifyReport report =
      VerifyArchive(Tamper(f, "swap", {"pdfs/" + a + ".pdf", "pdfs/" + b + ".pdf"}), "");
  CHECK_FALSE(report.ok);
  CHECK(Names(report, "submission " + a + ": pdfs/" + a + ".pdf is sealed for submission " + b +
                          ", not for " + a));
  CHECK(Names(report, "submission " + b + ": pdfs/" + b + ".pdf is sealed for submission " + a));
}

// An HTTP client that hangs up: the stream fails after `limit` bytes.
class FailingBuffer : public std::streambuf {
 public:
  explicit FailingBuffer(std::size_t limit) : limit_(limit) {}
  std::size_t written = 0;

 protected:
  int_type overflow(int_type c) override {
    if (written >= limit_) return traits_type::eof();
    ++written;
    return c;
  }
  std::streamsize xsputn(const char*, std::streamsize n) override {
    std::size_t room = limit_ - std::min(limit_, written);
    std::size_t taken = std::min<std::size_t>(room, static_cast<std::size_t>(n));
    written += taken;
    return static_cast<std::streamsize>(taken);
  }

 private:
  std::size_t limit_;
};

TEST_CASE("an export aborted mid-stream leaves its started event, and no completed one") {
  Exported f;  // one full export first, so the store holds its two events
  std::int64_t before = f.store->LastAuditSeq();
  ExportRequest request = f.request;
  request.exported_at = UtcNow();
  FailingBuffer buffer(20000);  // past the first PDF's header, before the end
  std::ostream out(&buffer);
  RecordExportStarted(*f.store, request);
  CHECK_THROWS_AS(ExportArchive(*f.store, request, out), ArchiveError);
  CHECK(buffer.written == 20000);
  std::vector<AuditEvent> after;
  f.store->ForEachAuditEvent(before + 1, 0, [&](const AuditEvent& e) { after.push_back(e); });
  REQUIRE(after.size() == 1);
  CHECK(after[0].action == "archive.exported");
  CHECK(after[0].actor == "tok_compliance1");
  CHECK(after[0].detail == "state=started;from=;to=;exported_at=" + request.exported_at);
}

TEST_CASE("an expected chain head is held against the slice") {
  Exported f;
  std::string pem = ClinicIdentity().certificate_pem();
  VerifyOptions right{f.summary.last_hash, f.summary.last_seq};
  CHECK_MESSAGE(VerifyArchive(f.zip, pem, right).ok, AllProblems(VerifyArchive(f.zip, pem, right)));
  VerifyOptions wrong{std::string(64, 'a'), f.summary.last_seq};
  VerifyReport report = VerifyArchive(f.zip, pem, wrong);
  CHECK_FALSE(report.ok);
  CHECK(Names(report, "audit event " + std::to_string(f.summary.last_seq) +
                          " in the archive's slice has hash "));
  VerifyOptions later{std::string(64, 'a'), f.summary.last_seq + 5};
  VerifyReport beyond = VerifyArchive(f.zip, pem, later);
  CHECK(beyond.ok);
  CHECK(beyond.summary.find("does not reach audit event") != std::string::npos);
  VerifyOptions hash_only{std::string(64, 'b'), 0};
  CHECK(Names(VerifyArchive(f.zip, pem, hash_only), "no audit event in the archive's slice"));
}

}  // namespace
}  // namespace consentkit
