// Export and verify, judged from outside: data folders are tampered with
// through the sqlite3 shell, archives through Python's zipfile, and the
// verdicts are read from the consentkit binary as a compliance officer would
// run it. The last case measures the export's peak memory with GNU time.
#include "archive/archive.h"

#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "api/api.h"
#include "archive/data_folder.h"
#include "archive/zip_writer.h"
#include "pdf/pdf.h"
#include "seal/seal.h"
#include "service/intake.h"
#include "store/store.h"
#include "submission/submission.h"
#include "support/filled.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::Run;
using test::ShellQuote;

const test::TempDir& SealDir() { return test::ClinicSealDir(); }
const SigningIdentity& Identity() { return test::ClinicSeal(); }

std::string CertificatePem() { return Identity().certificate_pem(); }

FormPtr LoadForm(const std::string& name) {
  LoadResult r = LoadFormFile(test::SourcePath("forms/" + name + ".xml"));
  REQUIRE(r.ok());
  return r.form;
}

// Where an archive keeps the definition version the shipped form has now.
std::string DefinitionEntry(const std::string& form_id) {
  return "definitions/" + form_id + "@" + LoadForm(form_id)->version + ".xml";
}

std::string Uuid(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "5d1e8f00-1111-4222-8333-%012d", n);
  return text;
}

// A submission stored the way the intake service stores one: validated,
// screened, rendered with its seal placeholder, sealed, committed.
SubmissionRecord StoreSealed(Store& store, const FormPtr& form_ptr, const std::string& id,
                             const std::string& received_at) {
  const FormDefinition& form = *form_ptr;
  ValidSubmission valid = test::MustValidate(form_ptr, test::FilledSubmission(form, id));
  const Submission& submission = valid.submission();
  ScreeningResult screening = Screen(valid);
  RenderOptions options;
  // Sealed now, whatever received_at says: a seal's time must fall within
  // the certificate's validity, and this certificate was made today.
  // The seal names the id alone (no content hash), as seals did before they
  // were bound to their record, so the same bytes may be filed under other
  // ids (see the concurrent verify test); verify counts such seals.
  options.seal = SealAppearance{"Harbourview Skin Clinic", UtcNow(), id, ""};
  std::string pdf = SealPdf(
      RenderSubmission(valid, screening, {id, received_at}, ClinicSettings{}, options), Identity());
  SubmissionRecord r;
  r.id = id;
  r.form_id = form.id;
  r.form_version = form.version;
  r.form_sha256 = form.sha256_hex;
  r.language = form.lang;
  r.received_at = received_at;
  r.outcome = screening.outcome;
  r.reasons = screening.reasons;
  r.content_json = CanonicalSubmissionJson(submission);
  r.content_sha256 = Sha256Hex(r.content_json);
  r.pdf_sha256 = Sha256Hex(pdf);
  REQUIRE(store.Put(r, pdf, form, "tok_tablet01").status == PutStatus::kStored);
  return r;
}

// The clinic's seal-cert.pem and seal-key.pem in `dir`, as its server made
// them: export signs its manifest with the key, which SigningIdentity::Load
// wants owner-only.
void GiveSealFiles(const test::TempDir& dir) {
  WriteFileAtomically(dir.File(kSealCertFile), CertificatePem());
  WriteFileAtomically(dir.File(kSealKeyFile), ReadFile(SealDir().File(kSealKeyFile)));
  REQUIRE(chmod(dir.File(kSealKeyFile).c_str(), 0600) == 0);
}

// A data folder as a clinic has it: consentkit.db, seal-cert.pem and seal-key.pem. Audit
// events: 1 token, 2..4 three consents, 5 a PDF read, 6 an intake form,
// and a signed checkpoint of event 6.
struct Clinic {
  test::TempDir dir;
  std::vector<SubmissionRecord> stored;

  Clinic() {
    GiveSealFiles(dir);
    auto store = OpenSqliteStore(dir.path());
    Token token;
    token.id = "tok_tablet01";
    token.name = "Front desk iPad";
    token.secret_sha256 = Sha256Hex("secret");
    token.created_at = UtcNow();
    store->AddToken(token, "cli");
    FormPtr consent = LoadForm("microneedling-consent"), intake = LoadForm("microneedling-intake");
    for (int n = 1; n <= 3; ++n) stored.push_back(StoreSealed(*store, consent, Uuid(n), UtcNow()));
    store->RecordEvent("tok_staff001", "pdf.read", stored[0].id);
    stored.push_back(StoreSealed(*store, intake, Uuid(4), UtcNow()));
    test::SignCheckpoint(*store, Identity());
  }
  const std::string& path() const { return dir.path(); }
  std::string db() const { return dir.File("consentkit.db"); }
};

std::string Binary() { return CK_BINARY; }

test::CommandResult Consentkit(const std::string& args) { return Run(Binary() + " " + args); }

test::CommandResult Sql(const Clinic& clinic, const std::string& statements) {
  test::CommandResult r = Run("sqlite3 " + ShellQuote(clinic.db()) + " " + ShellQuote(statements));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return r;
}

// Whether consentkit verify named `text` among its problems. A tampered
// manifest.json is first named for its signature; what else changed follows.
bool HasProblem(const test::CommandResult& r, const std::string& text) {
  return r.err.find(text) != std::string::npos;
}

// The first line consentkit verify printed on stderr, without its prefix.
std::string FirstProblem(const test::CommandResult& r) {
  std::string line = r.err.substr(0, r.err.find('\n'));
  std::string prefix = "consentkit verify: ";
  return line.compare(0, prefix.size(), prefix) == 0 ? line.substr(prefix.size()) : line;
}

std::string Export(const Clinic& clinic, const std::string& zip, const std::string& extra = "") {
  test::CommandResult r = Consentkit("export --data " + ShellQuote(clinic.path()) + " -o " +
                                     ShellQuote(zip) + " " + extra);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return r.out;
}

// Rebuilds `zip` with Python's zipfile, applying one change to one entry.
const char kRezip[] = R"py(
import sys, zipfile
src, dst, op, name = sys.argv[1:5]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename == name:
            if op == "remove":
                continue
            if op == "flip":
                i = len(data) // 2
                data = data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]
            if op == "replace":
                data = data.replace(sys.argv[5].encode(), sys.argv[6].encode(), 1)
            if op == "put":
                data = open(sys.argv[5], "rb").read()
        zout.writestr(info, data)
    if op == "add":
        zout.writestr(name, b"%PDF-1.7 not from the clinic")
)py";

std::string Rezip(const test::TempDir& tmp, const std::string& zip, const std::string& op,
                  const std::string& name, const std::string& from = "",
                  const std::string& to = "") {
  std::string script = tmp.Write("rezip.py", kRezip);
  std::string out = tmp.File("tampered-" + op + ".zip");
  test::CommandResult r = Run(std::string(CK_PYTHON) + " " + ShellQuote(script) + " " +
                              ShellQuote(zip) + " " + ShellQuote(out) + " " + op + " " +
                              ShellQuote(name) + " " + ShellQuote(from) + " " + ShellQuote(to));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return out;
}

std::string ReadZipEntry(const std::string& zip, const std::string& name) {
  std::ifstream in(zip, std::ios::binary);
  Poco::Zip::ZipArchive archive(in);
  auto header = archive.findHeader(name);
  REQUIRE(header != archive.headerEnd());
  Poco::Zip::ZipInputStream entry(in, header->second, true);
  std::string bytes;
  Poco::StreamCopier::copyToString(entry, bytes);
  return bytes;
}

TEST_CASE("time bounds: days are UTC midnights, offsets are converted, junk is refused") {
  CHECK(NormalizeTimeBound("2026-11-23") == "2026-11-23T00:00:00Z");
  CHECK(NormalizeTimeBound("2026-11-23T10:15:02Z") == "2026-11-23T10:15:02Z");
  CHECK(NormalizeTimeBound("2026-11-23T00:30:00+01:00") == "2026-11-22T23:30:00Z");
  CHECK(NormalizeTimeBound("2026-11-23T10:15:02-05:30") == "2026-11-23T15:45:02Z");
  for (const char* bad : {"", "2026-02-30", "2026-13-01", "23/11/2026", "2026-11-23T10:15Z",
                          "2026-11-23T10:15:02.5Z", "2026-11-23T25:00:00Z", "2026-11-23 "}) {
    CHECK_MESSAGE(!NormalizeTimeBound(bad), bad);
  }
}

TEST_CASE("export then verify: the data folder, the archive, and a copy elsewhere all verify") {
  Clinic clinic;
  test::CommandResult live = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK_MESSAGE(live.exit_code == 0, live.err);
  CHECK(live.out.find("verifies: its audit log is one unbroken hash chain of 6 audit events") !=
        std::string::npos);
  MESSAGE("verify DATA_DIR: " << live.out);

  std::string zip = clinic.dir.File("november.zip");
  std::string printed = Export(clinic, zip, "--from 2026-01-01 --to 2100-01-01");
  // The slice holds the export's own start (event 7) but not its end.
  CHECK(printed.find("4 PDFs, 2 definitions, audit events 1 to 7") != std::string::npos);
  CHECK(printed.find("recorded as audit events 7 (archive.exported) and 8 (archive.completed)") !=
        std::string::npos);
  CHECK(printed.find("signed checkpoint: seq=8 last_hash=") != std::string::npos);

  test::TempDir elsewhere;  // no data folder in sight
  std::string copy = elsewhere.File("archive.zip");
  WriteFileAtomically(copy, ReadFile(zip));
  std::string cert = elsewhere.Write("clinic-cert.pem", CertificatePem());
  test::CommandResult pinned = Consentkit("verify " + ShellQuote(copy) + " --cert " + cert);
  CHECK_MESSAGE(pinned.exit_code == 0, pinned.err);
  CHECK(pinned.out.find("verifies: its manifest is signed; all 4 submissions are present") !=
        std::string::npos);
  CHECK(pinned.out.find("pinned certificate \"Harbourview Skin Clinic\"") != std::string::npos);
  MESSAGE("verify archive.zip --cert: " << pinned.out);

  test::CommandResult own = Consentkit("verify " + ShellQuote(copy));
  CHECK_MESSAGE(own.exit_code == 0, own.err);
  CHECK(own.out.find("NOT pinned") != std::string::npos);
  CHECK(own.out.find(Identity().fingerprint_sha256()) != std::string::npos);

  // The export itself is in the live chain, which still verifies.
  CHECK(Consentkit("verify " + ShellQuote(clinic.path())).exit_code == 0);
}

TEST_CASE("the archive holds what the manifest says, and standard tools read it") {
  Clinic clinic;
  std::string zip = clinic.dir.File("a.zip");
  Export(clinic, zip, "--config " + test::SourcePath("samples/consentkit.conf"));
  test::CommandResult listing = Run("unzip -Z1 " + ShellQuote(zip) + " | sort");
  REQUIRE(listing.exit_code == 0);
  std::string expected =
      "audit.jsonl\ncertificate.pem\n" + DefinitionEntry("microneedling-consent") + "\n" +
      DefinitionEntry("microneedling-intake") + "\nmanifest.json\nmanifest.sig\n";
  for (int n = 1; n <= 4; ++n) expected += "pdfs/" + Uuid(n) + ".pdf\n";
  for (int n = 1; n <= 4; ++n) expected += "records/" + Uuid(n) + ".json\n";
  CHECK(listing.out == expected);
  CHECK(Run("unzip -tq " + ShellQuote(zip)).exit_code == 0);
  // PDFs are stored byte for byte; definitions are the exact XML kept.
  auto store = OpenSqliteStore(clinic.path());
  CHECK(ReadZipEntry(zip, "pdfs/" + Uuid(2) + ".pdf") == store->FindPdf(Uuid(2)));
  CHECK(ReadZipEntry(zip, DefinitionEntry("microneedling-consent")) ==
        LoadForm("microneedling-consent")->xml);
  std::string manifest = ReadZipEntry(zip, "manifest.json");
  CHECK(manifest.find("\"format\":\"consentkit-archive/3\"") != std::string::npos);
  CHECK(ReadZipEntry(zip, "records/" + Uuid(2) + ".json") == store->Find(Uuid(2))->content_json);
  // openssl judges the manifest's signature: the clinic's, over its bytes.
  test::TempDir check;
  std::string sig = check.Write("manifest.sig", ReadZipEntry(zip, "manifest.sig"));
  std::string content = check.Write("manifest.json", manifest);
  std::string cert = check.Write("cert.pem", CertificatePem());
  CHECK(Run("openssl cms -verify -binary -inform DER -in " + sig + " -content " + content +
            " -CAfile " + cert + " -purpose any -out /dev/null")
            .exit_code == 0);
  CHECK(manifest.find("\"clinic\":\"Harbourview Skin & Laser Clinic\"") != std::string::npos);
  CHECK(manifest.find("\"audit\":{\"path\":\"audit.jsonl\",\"first_seq\":1,\"last_seq\":7,"
                      "\"anchor_hash\":\"" +
                      std::string(kGenesisHash) + "\"") != std::string::npos);
  test::CommandResult python =
      Run(std::string(CK_PYTHON) + " -c " +
          ShellQuote("import json, sys, zipfile\n"
                     "m = json.loads(zipfile.ZipFile(sys.argv[1]).read('manifest.json'))\n"
                     "print(len(m['submissions']), len(m['definitions']), m['audit']['events'],"
                     " m['submissions'][3]['form_id'], m['submissions'][3]['outcome'])") +
          " " + ShellQuote(zip));
  CHECK(python.out == "4 2 7 microneedling-intake suitable\n");
  std::string audit = ReadZipEntry(zip, "audit.jsonl");
  CHECK(test::CountOf(audit, "\n") == 7);
  CHECK(audit.find("{\"seq\":2,") != std::string::npos);
}

TEST_CASE("an export leaves no temporary files, and a failed one leaves no archive") {
  Clinic clinic;
  test::TempDir spool, out;
  std::string command = "TMPDIR=" + ShellQuote(spool.path()) + " " + Binary() + " export --data " +
                        ShellQuote(clinic.path()) + " -o " + ShellQuote(out.File("a.zip"));
  CHECK(Run(command).exit_code == 0);
  CHECK(Run("ls -A " + ShellQuote(spool.path())).out.empty());
  CHECK(Run("ls -A " + ShellQuote(out.path())).out == "a.zip\n");
  CHECK(Run("stat -c %a " + ShellQuote(out.File("a.zip"))).out == "600\n");

  test::CommandResult bad_cert =
      Run(command + " --cert " + ShellQuote(out.Write("cert.pem", "not a certificate")));
  CHECK(bad_cert.exit_code == 1);
  CHECK(bad_cert.err.find("consentkit export: seal certificate ") == 0);
  CHECK(bad_cert.err.find("holds no PEM certificate") != std::string::npos);
  CHECK(Run("ls -A " + ShellQuote(out.path())).out == "a.zip\ncert.pem\n");
  CHECK(Run("ls -A " + ShellQuote(spool.path())).out.empty());
}

TEST_CASE("an empty range, and a store with nothing in it, export archives that verify") {
  Clinic clinic;
  std::string zip = clinic.dir.File("empty.zip");
  CHECK(Export(clinic, zip, "--from 2000-01-01 --to 2000-01-02").find("0 PDFs") !=
        std::string::npos);
  test::CommandResult verified = Consentkit("verify " + ShellQuote(zip));
  CHECK_MESSAGE(verified.exit_code == 0, verified.err);

  test::TempDir fresh;
  GiveSealFiles(fresh);
  OpenSqliteStore(fresh.path());
  std::string nothing = fresh.File("nothing.zip");
  test::CommandResult exported =
      Consentkit("export --data " + ShellQuote(fresh.path()) + " -o " + ShellQuote(nothing));
  CHECK_MESSAGE(exported.exit_code == 0, exported.err);
  CHECK(exported.out.find("all submissions, 0 PDFs, 0 definitions, audit events 1 to 1") !=
        std::string::npos);
  test::CommandResult empty = Consentkit("verify " + ShellQuote(nothing));
  CHECK_MESSAGE(empty.exit_code == 0, empty.err);
  // The export was recorded, start and end, and signed a checkpoint of them.
  CHECK(Consentkit("verify " + ShellQuote(fresh.path())).out.find("chain of 2 audit events ") !=
        std::string::npos);
}

TEST_CASE("the range selects by received time, and stored events in it pull their PDF in") {
  Clinic clinic;
  {
    auto store = OpenSqliteStore(clinic.path());
    StoreSealed(*store, LoadForm("microneedling-consent"), Uuid(90), "2020-06-01T12:00:00Z");
  }
  // 2020 only: the one old submission; its stored event (now) is outside.
  std::string old_zip = clinic.dir.File("2020.zip");
  CHECK(Export(clinic, old_zip, "--from 2020-01-01 --to 2021-01-01").find("1 PDF,") !=
        std::string::npos);
  CHECK(Consentkit("verify " + ShellQuote(old_zip)).exit_code == 0);
  // From today: received in 2020, but stored today, so today's slice anchors
  // it and the archive must hold it to be complete.
  std::string today = UtcNow().substr(0, 10);
  std::string now_zip = clinic.dir.File("today.zip");
  CHECK(Export(clinic, now_zip, "--from " + today).find("5 PDFs,") != std::string::npos);
  test::CommandResult verified = Consentkit("verify " + ShellQuote(now_zip));
  CHECK_MESSAGE(verified.exit_code == 0, verified.err);
}

TEST_CASE("verifying a data folder while submissions keep arriving finds nothing wrong") {
  Clinic clinic;
  std::string pdf = *OpenSqliteStore(clinic.path())->FindPdf(clinic.stored[0].id);
  FormPtr form = LoadForm("microneedling-consent");
  std::atomic<bool> done{false};
  std::string failure;  // the writer's exception, if any (thrown, it would end the run)
  std::thread tablets([&] {
    try {
      SqliteOptions fast;
      fast.synchronous_full = false;
      auto store = OpenSqliteStore(clinic.path(), fast);
      for (int n = 100; n < 400; ++n) {
        SubmissionRecord r = clinic.stored[0];
        r.id = Uuid(n);
        r.received_at = UtcNow();
        store->Put(r, pdf, *form, "tok_tablet01");  // the same sealed bytes under a new id
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    } catch (const std::exception& e) {
      failure = e.what();
    }
    done = true;
  });
  int runs = 0;
  for (bool ok = true; ok && !done; ++runs) {
    VerifyReport report = VerifyDataDir(clinic.path(), CertificatePem());
    ok = report.ok;
    CHECK_MESSAGE(ok, report.first_problem);
  }
  tablets.join();
  CHECK(failure.empty());
  MESSAGE(runs << " verify runs while 300 submissions arrived");
  CHECK(runs > 1);
}

TEST_CASE("an edited audit row is named") {
  Clinic clinic;
  Sql(clinic, "UPDATE audit SET actor = 'tok_mallory' WHERE seq = 3");
  test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r).find("audit event 3 (submission.stored, ") == 0);
  CHECK(FirstProblem(r).find("has been altered: its hash does not match its content") !=
        std::string::npos);
  MESSAGE("edited audit row: " << r.err);
}

TEST_CASE("a deleted audit row is named") {
  Clinic clinic;
  Sql(clinic, "DELETE FROM audit WHERE seq = 5");
  test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r) == "audit event 5 is missing (seq jumps from 4 to 6)");
  MESSAGE("deleted audit row: " << r.err);
}

TEST_CASE("reordered audit events are named") {
  Clinic clinic;
  SUBCASE("seq numbers swapped") {
    Sql(clinic,
        "UPDATE audit SET seq = -2 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; "
        "UPDATE audit SET seq = 3 WHERE seq = -2;");
  }
  SUBCASE("contents swapped") {
    const char* columns[] = {"at", "actor", "action", "object", "detail", "prev_hash", "hash"};
    std::string sql = "CREATE TEMP TABLE two AS SELECT * FROM audit WHERE seq IN (2, 3);";
    for (const char* c : columns) {
      sql += std::string("UPDATE audit SET ") + c + " = (SELECT " + c +
             " FROM two WHERE two.seq = 5 - audit.seq) WHERE seq IN (2, 3);";
    }
    Sql(clinic, sql);
  }
  test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r).find("audit event 2 (submission.stored, ") == 0);
  CHECK(FirstProblem(r).find("is out of place: it was written as event 3 (events reordered)") !=
        std::string::npos);
  MESSAGE("reordered: " << r.err);
}

TEST_CASE("an edited PDF in the database is named, with or without its row's hash") {
  Clinic clinic;
  const SubmissionRecord& victim = clinic.stored[1];
  std::string pdf = *OpenSqliteStore(clinic.path())->FindPdf(victim.id);
  pdf[pdf.size() / 3] = static_cast<char>(pdf[pdf.size() / 3] ^ 0x01);
  std::string file = clinic.dir.Write("edited.pdf", pdf);
  std::string where = " WHERE id = '" + victim.id + "'";
  std::string expected = "submission " + victim.id + " (received " + victim.received_at +
                         "): its PDF has been altered: it hashes to ";
  SUBCASE("bytes only") {
    Sql(clinic, "UPDATE submissions SET pdf = readfile('" + file + "')" + where);
  }
  SUBCASE("bytes and the row's pdf_sha256") {
    Sql(clinic, "UPDATE submissions SET pdf = readfile('" + file + "'), pdf_sha256 = '" +
                    Sha256Hex(pdf) + "'" + where);
    expected = "submission " + victim.id + " (received " + victim.received_at +
               "): its PDF has been altered: it hashes to " + Sha256Hex(pdf).substr(0, 16) +
               "…, audit event 3 anchors ";
  }
  test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r).find(expected) == 0);
  MESSAGE("edited PDF: " << r.err);
}

TEST_CASE("a deleted submission row is named with its audit event") {
  Clinic clinic;
  Sql(clinic, "DELETE FROM submissions WHERE id = '" + clinic.stored[2].id + "'");
  test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r) ==
        "submission " + clinic.stored[2].id + " (stored in audit event 4) is missing");
  MESSAGE("deleted row: " << r.err);
}

TEST_CASE("a seal made with another certificate is named") {
  Clinic clinic;
  test::TempDir other;
  CreateSelfSignedIdentity(other.path(), "Someone Else");
  test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()) + " --cert " +
                                     ShellQuote(other.File(kSealCertFile)));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r).find("submission " + clinic.stored[0].id) == 0);
  CHECK(FirstProblem(r).find("its seal does not verify") != std::string::npos);
}

struct ArchiveFixture {
  Clinic clinic;
  test::TempDir tmp;
  std::string zip = tmp.File("archive.zip");
  std::string cert = tmp.Write("cert.pem", CertificatePem());
  ArchiveFixture() { Export(clinic, zip); }
  test::CommandResult Verify(const std::string& path) const {
    return Consentkit("verify " + ShellQuote(path) + " --cert " + ShellQuote(cert));
  }
};

TEST_CASE("a flipped byte in an archived PDF is named") {
  ArchiveFixture f;
  std::string id = f.clinic.stored[0].id;
  test::CommandResult r = f.Verify(Rezip(f.tmp, f.zip, "flip", "pdfs/" + id + ".pdf"));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r).find("submission " + id + ": pdfs/" + id +
                             ".pdf has been altered: it hashes to ") == 0);
  MESSAGE("flipped PDF byte: " << r.err);
}

TEST_CASE("a removed PDF is named, also when its manifest entry goes with it") {
  ArchiveFixture f;
  std::string id = f.clinic.stored[1].id;
  test::CommandResult r = f.Verify(Rezip(f.tmp, f.zip, "remove", "pdfs/" + id + ".pdf"));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r) ==
        "submission " + id + ": pdfs/" + id + ".pdf is missing from the archive");
  MESSAGE("removed PDF: " << r.err);

  // Cut the entry from the manifest as well: the audit slice still knows.
  std::string manifest = ReadZipEntry(f.zip, "manifest.json");
  std::size_t start = manifest.find("{\"id\":\"" + id + "\"");
  std::size_t end = manifest.find('\n', start);
  REQUIRE(start != std::string::npos);
  std::string line = manifest.substr(start, end - start);  // ends with its comma
  std::string gone = Rezip(f.tmp, f.zip, "remove", "pdfs/" + id + ".pdf");
  std::string both = Rezip(f.tmp, gone, "replace", "manifest.json", line + "\n", "");
  test::CommandResult r2 = f.Verify(both);
  CHECK(r2.exit_code == 1);
  CHECK(FirstProblem(r2).find("manifest.sig does not verify") == 0);
  CHECK(HasProblem(r2, "submission " + id + " (stored in audit event 3 at "));
  CHECK(HasProblem(r2, ") is not in the archive"));
  MESSAGE("removed PDF and manifest entry: " << r2.err);
}

TEST_CASE("an edited audit.jsonl is named") {
  ArchiveFixture f;
  test::CommandResult r =
      f.Verify(Rezip(f.tmp, f.zip, "replace", "audit.jsonl", "\"actor\":\"tok_staff001\"",
                     "\"actor\":\"tok_mallory\""));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r).find("audit event 5 (pdf.read, ") == 0);
  CHECK(FirstProblem(r).find("has been altered") != std::string::npos);
  MESSAGE("edited audit.jsonl: " << r.err);
}

TEST_CASE("an archive entry the manifest does not list is named") {
  ArchiveFixture f;
  test::CommandResult r = f.Verify(Rezip(f.tmp, f.zip, "add", "pdfs/extra.pdf"));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r) == "pdfs/extra.pdf is in the archive but not in its manifest");
}

TEST_CASE("an edited definition is named") {
  ArchiveFixture f;
  test::CommandResult r =
      f.Verify(Rezip(f.tmp, f.zip, "replace", DefinitionEntry("microneedling-consent"),
                     "Microneedling", "Micro-needling"));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r).find(DefinitionEntry("microneedling-consent") + " has been altered") == 0);
}

TEST_CASE("an archive from another clinic's certificate fails against the pinned one") {
  ArchiveFixture f;
  test::TempDir other;
  CreateSelfSignedIdentity(other.path(), "Someone Else");
  test::CommandResult r = Consentkit("verify " + ShellQuote(f.zip) + " --cert " +
                                     ShellQuote(other.File(kSealCertFile)));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r).find("certificate.pem in the archive (SHA-256 ") == 0);
  CHECK(FirstProblem(r).find("is not the pinned certificate") != std::string::npos);
}

// --- Reviewed submissions ---------------------------------------------------

constexpr char kPractitioner[] = "tok_prac0001";

// A submission the intake service stores as the server does: validated,
// screened (active acne: deferred, so it waits for review), rendered,
// sealed, committed.
SubmissionRecord SubmitForReview(Store& store, const std::string& id) {
  ClinicSettings clinic;
  clinic.name = "Harbourview Skin Clinic";
  IntakeService intake(LoadFormsDirectory(test::SourcePath("forms")), store, clinic, &Identity());
  FormPtr form = LoadForm("microneedling-intake");
  std::string body = CanonicalSubmissionJson(
      test::FilledSubmission(*form, id, {{"active-acne", std::string("yes")}}));
  SubmitResult result = intake.Submit("tok_tablet01", form->id, body);
  REQUIRE_MESSAGE(result.status == SubmitStatus::kStored, result.detail);
  CHECK(result.record.needs_review);
  return result.record;
}

// The practitioner's review as the server's review handler makes it: the
// stored PDF countersigned, then stored with the review in one commit.
Review Countersign(Store& store, const std::string& id, const std::string& decision = "proceed") {
  Review review;
  review.submission_id = id;
  review.decision = decision;
  review.note = "Skin calm; go ahead at 1.0 mm.";
  review.practitioner = kPractitioner;
  review.practitioner_name = "Dr Ana Ruiz";
  review.reviewed_at = UtcNow();
  std::string pdf = CountersignPdf(*store.FindPdf(id), Identity(),
                                   {review.practitioner_name, review.decision, review.note,
                                    review.reviewed_at, test::SampleSignature()});
  review.pdf_sha256 = Sha256Hex(pdf);
  REQUIRE(store.PutReview(review, pdf, kPractitioner));
  return review;
}

// The Clinic and one reviewed submission. Audit events: 1..6 as Clinic's,
// 7 the practitioner's token, 8 the submission, 9 its review (the last).
struct ReviewedClinic : Clinic {
  std::string id = Uuid(7);
  SubmissionRecord record;
  Review review;
  std::string original, countersigned;  // the sealed PDF, before and after the review

  ReviewedClinic() {
    auto store = OpenSqliteStore(path());
    Token practitioner;
    practitioner.id = kPractitioner;
    practitioner.name = "Dr Ana Ruiz";
    practitioner.role = Role::kPractitioner;
    practitioner.secret_sha256 = Sha256Hex("practitioner secret");
    practitioner.created_at = UtcNow();
    store->AddToken(practitioner, "cli");
    record = SubmitForReview(*store, id);
    original = *store->FindPdf(id);
    review = Countersign(*store, id);
    countersigned = *store->FindPdf(id);
    test::SignCheckpoint(*store, Identity());
  }
  std::string Where() const { return " WHERE submission_id = '" + id + "'"; }
  // How verify names it in a data folder, and in an archive.
  std::string InFolder() const {
    return "submission " + id + " (received " + record.received_at + ")";
  }
  std::string InArchive() const { return "submission " + id + " (pdfs/" + id + ".pdf)"; }
};

// An archive of a ReviewedClinic, and its tampered copies.
struct ReviewedArchive {
  ReviewedClinic clinic;
  test::TempDir tmp;
  std::string zip = tmp.File("archive.zip");
  std::string cert = tmp.Write("cert.pem", CertificatePem());
  ReviewedArchive() { Export(clinic, zip); }
  test::CommandResult Verify(const std::string& path) const {
    return Consentkit("verify " + ShellQuote(path) + " --cert " + ShellQuote(cert));
  }
  // The archive with pdfs/<id>.pdf replaced by `pdf`, and the manifest's
  // hash of it too, so that only the signatures and the chain can tell.
  std::string WithPdf(const std::string& pdf) const {
    std::string name = "pdfs/" + clinic.id + ".pdf";
    std::string put = Rezip(tmp, zip, "put", name, tmp.Write("new.pdf", pdf));
    return Rezip(tmp, put, "replace", "manifest.json", Sha256Hex(clinic.countersigned),
                 Sha256Hex(pdf));
  }
};

std::string Flipped(std::string bytes, std::size_t at) {
  REQUIRE(at < bytes.size());
  bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
  return bytes;
}

// A byte of the countersignature's own signing time (/M), in the revision
// the review appended: the seal's revision stays intact.
std::string FlippedCountersignature(const ReviewedClinic& clinic) {
  std::size_t date = clinic.countersigned.find("/M (D:", clinic.original.size());
  REQUIRE(date != std::string::npos);
  return Flipped(clinic.countersigned, date + 10);
}

TEST_CASE("a reviewed submission verifies, in its data folder and in an export") {
  ReviewedClinic clinic;
  REQUIRE(clinic.countersigned.compare(0, clinic.original.size(), clinic.original) == 0);
  test::CommandResult live = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK_MESSAGE(live.exit_code == 0, live.err);
  CHECK(live.out.find("chain of 9 audit events") != std::string::npos);
  CHECK(live.out.find("1 of them was reviewed: its countersignature verifies") !=
        std::string::npos);
  MESSAGE("verify DATA_DIR: " << live.out);

  test::TempDir tmp;
  std::string zip = tmp.File("reviewed.zip");
  CHECK(Export(clinic, zip).find("5 PDFs, 2 definitions, audit events 1 to 10") !=
        std::string::npos);
  test::CommandResult archived =
      Consentkit("verify " + ShellQuote(zip) + " --cert " + tmp.Write("c.pem", CertificatePem()));
  CHECK_MESSAGE(archived.exit_code == 0, archived.err);
  CHECK(archived.out.find("1 of them was reviewed: its countersignature verifies") !=
        std::string::npos);
  MESSAGE("verify archive.zip: " << archived.out);

  // The archive carries the countersigned file, and its manifest the review.
  CHECK(ReadZipEntry(zip, "pdfs/" + clinic.id + ".pdf") == clinic.countersigned);
  std::string manifest = ReadZipEntry(zip, "manifest.json");
  // The file is the countersigned one; the record's own PDF hash, the original's.
  CHECK(manifest.find("\"file_sha256\":\"" + Sha256Hex(clinic.countersigned) + "\"") !=
        std::string::npos);
  CHECK(manifest.find("\"pdf_sha256\":\"" + Sha256Hex(clinic.original) + "\"") !=
        std::string::npos);
  CHECK(manifest.find("\"review\":{\"decision\":\"proceed\",\"reviewed_at\":\"" +
                      clinic.review.reviewed_at + "\",\"practitioner\":\"" + kPractitioner +
                      "\",\"practitioner_name\":\"Dr Ana Ruiz\"") != std::string::npos);
  CHECK(test::CountOf(manifest, "\"review\":") == 1);
  CHECK(ReadZipEntry(zip, "audit.jsonl").find("\"action\":\"submission.reviewed\"") !=
        std::string::npos);
}

TEST_CASE("a review recorded after the export's range is in its archive") {
  Clinic clinic;
  std::string id = Uuid(8);
  std::unique_ptr<Store> store = OpenSqliteStore(clinic.path());
  SubmissionRecord record = SubmitForReview(*store, id);
  // `to` is exclusive and to the second: the next second holds the review.
  while (UtcNow() == record.received_at) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::string to = UtcNow();
  CHECK(Countersign(*store, id, "defer").reviewed_at >= to);
  store.reset();
  test::TempDir tmp;
  std::string zip = tmp.File("until.zip");
  CHECK(Export(clinic, zip, "--to " + to).find("5 PDFs") != std::string::npos);
  test::CommandResult r = Consentkit("verify " + ShellQuote(zip));
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("1 of them was reviewed") != std::string::npos);
  CHECK(ReadZipEntry(zip, "manifest.json").find("\"decision\":\"defer\"") != std::string::npos);
}

// A store that lets a practitioner review right after the export has read
// the submissions: the race an export running beside the server can meet.
class ReviewAfterRead : public Store {
 public:
  ReviewAfterRead(Store& inner, std::function<void()> review)
      : inner_(inner), review_(std::move(review)) {}

  void ForEachSubmission(const std::string& from, const std::string& to,
                         const SubmissionVisitor& visit) override {
    inner_.ForEachSubmission(from, to, visit);
    if (review_) std::exchange(review_, nullptr)();
  }
  // The rest as the store has it.
  PutResult Put(const SubmissionRecord& r, const std::string& pdf, const FormDefinition& form,
                const Actor& actor) override {
    return inner_.Put(r, pdf, form, actor);
  }
  std::optional<SubmissionRecord> Find(const std::string& id) override { return inner_.Find(id); }
  std::optional<std::string> FindPdf(const std::string& id) override { return inner_.FindPdf(id); }
  AuditEvent RecordEvent(const Actor& actor, const std::string& action, const std::string& object,
                         const std::string& detail) override {
    return inner_.RecordEvent(actor, action, object, detail);
  }
  void ForEachAuditEvent(std::int64_t first, std::int64_t last,
                         const std::function<void(const AuditEvent&)>& visit) override {
    inner_.ForEachAuditEvent(first, last, visit);
  }
  std::int64_t LastAuditSeq() override { return inner_.LastAuditSeq(); }
  std::optional<std::string> DefinitionXml(const std::string& form_id,
                                           const std::string& version) override {
    return inner_.DefinitionXml(form_id, version);
  }
  void AddToken(const Token& token, const Actor& actor) override { inner_.AddToken(token, actor); }
  std::optional<Token> FindToken(const std::string& id) override { return inner_.FindToken(id); }
  std::vector<Token> Tokens() override { return inner_.Tokens(); }
  bool RevokeToken(const std::string& id, const Actor& actor) override {
    return inner_.RevokeToken(id, actor);
  }
  std::optional<std::string> PinnedDefinitionHash(const std::string& form_id,
                                                  const std::string& version) override {
    return inner_.PinnedDefinitionHash(form_id, version);
  }
  std::size_t CountSubmissions() override { return inner_.CountSubmissions(); }
  Page<SubmissionRecord> ListSubmissions(const SubmissionQuery& q) override {
    return inner_.ListSubmissions(q);
  }
  void AddVisit(const Visit& visit, const Actor& actor) override { inner_.AddVisit(visit, actor); }
  std::optional<Visit> FindVisit(const std::string& id) override { return inner_.FindVisit(id); }
  Page<Visit> ListVisits(const VisitQuery& q) override { return inner_.ListVisits(q); }
  std::vector<SubmissionRecord> SubmissionsOfVisit(const std::string& visit_id) override {
    return inner_.SubmissionsOfVisit(visit_id);
  }
  bool PutReview(const Review& review, const std::string& pdf, const Actor& actor) override {
    return inner_.PutReview(review, pdf, actor);
  }
  void AddInvite(const Invite& invite, const Actor& actor) override {
    inner_.AddInvite(invite, actor);
  }
  std::optional<Invite> FindInvite(const std::string& id) override { return inner_.FindInvite(id); }
  bool RevokeInvite(const std::string& id, const Actor& actor) override {
    return inner_.RevokeInvite(id, actor);
  }
  std::vector<Invite> InvitesOfVisit(const std::string& visit_id) override {
    return inner_.InvitesOfVisit(visit_id);
  }
  std::vector<Invite> Invites() override { return inner_.Invites(); }
  std::vector<std::string> SubmissionIds() override { return inner_.SubmissionIds(); }
  void AddCheckpoint(const Checkpoint& checkpoint) override { inner_.AddCheckpoint(checkpoint); }
  std::optional<Checkpoint> LatestCheckpoint() override { return inner_.LatestCheckpoint(); }
  void ForEachCheckpoint(const std::function<void(const Checkpoint&)>& visit) override {
    inner_.ForEachCheckpoint(visit);
  }
  std::vector<std::string> CheckIntegrity(std::size_t max_problems) override {
    return inner_.CheckIntegrity(max_problems);
  }
  WitnessUnlock UnlockWitness(const WitnessUnlock& unlock, const Actor& actor) override {
    return inner_.UnlockWitness(unlock, actor);
  }
  bool LockWitness(const std::string& visit_id, const std::string& form_id,
                   const Actor& actor) override {
    return inner_.LockWitness(visit_id, form_id, actor);
  }
  std::vector<WitnessUnlock> WitnessUnlocksOfVisit(const std::string& visit_id) override {
    return inner_.WitnessUnlocksOfVisit(visit_id);
  }
  void SetHandoff(const std::string& tablet, const std::string& visit_id,
                  const Actor& actor) override {
    inner_.SetHandoff(tablet, visit_id, actor);
  }
  std::optional<std::string> FindHandoff(const std::string& tablet) override {
    return inner_.FindHandoff(tablet);
  }
  bool ClearHandoff(const std::string& tablet, const std::string& visit_id,
                    const Actor& actor) override {
    return inner_.ClearHandoff(tablet, visit_id, actor);
  }

 private:
  Store& inner_;
  std::function<void()> review_;
};

TEST_CASE("an export a review overtakes still verifies") {
  Clinic clinic;
  std::unique_ptr<Store> store = OpenSqliteStore(clinic.path());
  std::string read = Uuid(8);  // received today: read by the export's pass
  SubmitForReview(*store, read);
  // Received in 2020 but stored today: added by the export's audit walk.
  std::string late = Uuid(9);
  StoreSealed(*store, LoadForm("microneedling-consent"), late, "2020-06-01T12:00:00Z");
  std::string sealed_late = *store->FindPdf(late);
  std::int64_t before = store->LastAuditSeq();
  ExportRequest request;
  request.from = UtcNow().substr(0, 10) + "T00:00:00Z";
  request.certificate_pem = CertificatePem();
  request.signer = &Identity();
  request.exported_at = UtcNow();
  test::TempDir tmp;
  std::string zip = tmp.File("race.zip");
  ExportSummary summary;
  std::string expected_late = sealed_late;
  SUBCASE("the review of a submission the pass read ends the slice before it") {
    ReviewAfterRead racing(*store, [&] {
      Countersign(*store, read);
      Countersign(*store, late);  // after the slice's end: left out with it
    });
    std::ofstream out(zip, std::ios::binary);
    summary = ExportArchive(racing, request, out);
    CHECK(summary.last_seq == before);
  }
  SUBCASE("the review of a late submission in the slice comes with it") {
    ReviewAfterRead racing(*store, [&] { Countersign(*store, late); });
    std::ofstream out(zip, std::ios::binary);
    summary = ExportArchive(racing, request, out);
    CHECK(summary.last_seq == before + 1);
    expected_late = *store->FindPdf(late);
  }
  VerifyReport report = VerifyArchive(zip, CertificatePem());
  CHECK_MESSAGE(report.ok, report.first_problem);
  CHECK(ReadZipEntry(zip, "pdfs/" + late + ".pdf") == expected_late);
  MESSAGE(report.summary);
}

TEST_CASE("a flipped byte in a countersignature's revision is named") {
  SUBCASE("in the data folder") {
    ReviewedClinic clinic;
    std::string file = clinic.dir.Write("flipped.pdf", FlippedCountersignature(clinic));
    Sql(clinic, "UPDATE reviews SET pdf = readfile('" + file + "')" + clinic.Where());
    test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
    CHECK(r.exit_code == 1);
    CHECK(FirstProblem(r).find(clinic.InFolder() + ": its countersignature does not verify: ") ==
          0);
    CHECK(HasProblem(r, clinic.InFolder() + ": its PDF is not the countersigned PDF audit event 9 "
                                            "(submission.reviewed) anchors"));
    MESSAGE("flipped countersignature: " << r.err);
  }
  SUBCASE("in an archive") {
    ReviewedArchive f;
    test::CommandResult r = f.Verify(f.WithPdf(FlippedCountersignature(f.clinic)));
    CHECK(r.exit_code == 1);
    CHECK(HasProblem(r, f.clinic.InArchive() + ": its countersignature does not verify: "));
    MESSAGE("flipped countersignature in an archive: " << r.err);
  }
}

TEST_CASE("a countersigned PDF replaced by its sealed original is named") {
  std::string expected =
      ": it was reviewed, but its PDF carries only one signature, the seal: "
      "the practitioner's countersignature is missing";
  SUBCASE("in the data folder") {
    ReviewedClinic clinic;
    Sql(clinic, "UPDATE reviews SET pdf = (SELECT pdf FROM submissions WHERE id = '" + clinic.id +
                    "')" + clinic.Where());
    test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
    CHECK(r.exit_code == 1);
    CHECK(FirstProblem(r) == clinic.InFolder() + expected);
    MESSAGE("countersigned PDF replaced: " << r.err);
  }
  SUBCASE("in an archive") {
    ReviewedArchive f;
    test::CommandResult r = f.Verify(f.WithPdf(f.clinic.original));
    CHECK(r.exit_code == 1);
    CHECK(HasProblem(r, f.clinic.InArchive() + expected));
    MESSAGE("countersigned PDF replaced in an archive: " << r.err);
  }
}

// The reviewed event stays; the row falls back to the sealed original.
TEST_CASE("a deleted review row is named") {
  ReviewedClinic clinic;
  Sql(clinic, "DELETE FROM reviews" + clinic.Where());
  std::string event = "audit event 9 (submission.reviewed, at ";
  test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r).find(clinic.InFolder() + ": " + event) == 0);
  CHECK(FirstProblem(r).find("records a review with decision \"proceed\", but the database holds "
                             "no review for it") != std::string::npos);
  MESSAGE("deleted review row: " << r.err);
  // Exported so, the archive shows it too: the slice keeps the event.
  std::string zip = clinic.dir.File("after.zip");
  Export(clinic, zip);
  test::CommandResult archived = Consentkit("verify " + ShellQuote(zip));
  CHECK(archived.exit_code == 1);
  CHECK(FirstProblem(archived).find("submission " + clinic.id + ": " + event) == 0);
  CHECK(FirstProblem(archived).find("but the archive holds no review for it") != std::string::npos);
  MESSAGE("deleted review row, exported: " << archived.err);
}

// The review's event is the last one, so deleting it leaves the chain
// whole: only the review itself shows it is gone. (Deleting an event in the
// middle breaks the chain, already tested; rewriting the chain after it
// would need a rehash helper these tests do not have.)
TEST_CASE("a deleted submission.reviewed event is named") {
  ReviewedClinic clinic;
  Sql(clinic, "DELETE FROM audit WHERE seq = 9 AND action = 'submission.reviewed'");
  test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r) == clinic.InFolder() + ": the PDF was reviewed (decision \"proceed\", at " +
                               clinic.review.reviewed_at +
                               ") but no submission.reviewed event in the audit log anchors the "
                               "review");
  MESSAGE("deleted reviewed event: " << r.err);
  std::string zip = clinic.dir.File("after.zip");
  Export(clinic, zip);
  test::CommandResult archived = Consentkit("verify " + ShellQuote(zip));
  CHECK(archived.exit_code == 1);
  CHECK(FirstProblem(archived).find("submission " + clinic.id + ": the PDF was reviewed") == 0);
  CHECK(FirstProblem(archived).find("no submission.reviewed event in the archive's audit slice") !=
        std::string::npos);
}

TEST_CASE("a changed review decision is named") {
  std::string expected =
      ": its review records the decision \"decline\", but audit event 9 "
      "(submission.reviewed) anchors the decision \"proceed\"";
  SUBCASE("in the data folder") {
    ReviewedClinic clinic;
    Sql(clinic, "UPDATE reviews SET decision = 'decline'" + clinic.Where());
    test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
    CHECK(r.exit_code == 1);
    CHECK(FirstProblem(r) == clinic.InFolder() + expected);
    MESSAGE("changed decision: " << r.err);
  }
  SUBCASE("in an archive") {
    ReviewedArchive f;
    test::CommandResult r = f.Verify(Rezip(f.tmp, f.zip, "replace", "manifest.json",
                                           "\"decision\":\"proceed\"", "\"decision\":\"decline\""));
    CHECK(r.exit_code == 1);
    CHECK(FirstProblem(r).find("manifest.sig does not verify") == 0);
    CHECK(HasProblem(r, f.clinic.InArchive() + expected));
  }
}

// --- Every stored field is anchored (issue 12, item 1) ------------------------

// Turns the data folder into one written before record hashes: every
// "submission.stored" event loses its record_sha256 and the chain is
// rehashed, as the store wrote it then.
const char kDropRecordHashes[] = R"py(
import hashlib, json, re, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
prev = "0" * 64
rows = db.execute("SELECT seq, at, actor, action, object, detail FROM audit ORDER BY seq").fetchall()
for seq, at, actor, action, obj, detail in rows:
    if action == "submission.stored":
        detail = re.sub(r";record_sha256=[0-9a-f]*", "", detail)
    canonical = json.dumps({"seq": seq, "at": at, "actor": actor, "action": action,
                            "object": obj, "detail": detail},
                           separators=(",", ":"), ensure_ascii=False)
    h = hashlib.sha256((prev + canonical).encode()).hexdigest()
    db.execute("UPDATE audit SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?",
               (detail, prev, h, seq))
    prev = h
db.commit()
)py";

TEST_CASE("each submission.stored event anchors the record hash, and an intact store verifies") {
  ReviewedClinic clinic;
  auto store = OpenSqliteStore(clinic.path());
  std::vector<AuditEvent> stored;
  store->ForEachAuditEvent(1, 0, [&](const AuditEvent& e) {
    if (e.action == "submission.stored") stored.push_back(e);
  });
  REQUIRE(stored.size() == 5);
  for (const AuditEvent& e : stored) {
    std::optional<SubmissionRecord> row = store->Find(e.object);
    REQUIRE(row);
    std::string suffix = ";record_sha256=" + RecordHash(*row);
    CHECK(e.detail.size() > suffix.size());
    CHECK(e.detail.compare(e.detail.size() - suffix.size(), suffix.size(), suffix) == 0);
  }
  test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find(" verifies: ") != std::string::npos);
}

TEST_CASE("an edited outcome and reasons are named, with what the content screens to") {
  ReviewedClinic clinic;  // its submission is deferred: active acne
  REQUIRE(clinic.record.outcome == Outcome::kDefer);
  Sql(clinic,
      "UPDATE submissions SET outcome = 'suitable', reasons = '' WHERE id = '" + clinic.id + "'");
  test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK(r.exit_code == 1);
  CHECK(HasProblem(r, "submission " + clinic.id +
                          ": its outcome is 'suitable' but its content screens to 'defer' "
                          "(reasons: "));
  CHECK(HasProblem(r, "submission " + clinic.id + " (received " + clinic.record.received_at +
                          "): its row no longer matches what was stored: the record hash is "));
  CHECK(HasProblem(r, "its outcome is not what its content screens to"));
  MESSAGE("edited outcome: " << r.err);
}

TEST_CASE("an edited received time is named") {
  Clinic clinic;
  const SubmissionRecord& victim = clinic.stored[1];
  Sql(clinic,
      "UPDATE submissions SET received_at = '2099-01-01T00:00:00Z' WHERE id = '" + victim.id + "'");
  test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r).find("submission " + victim.id +
                             " (received 2099-01-01T00:00:00Z): its row no longer matches what "
                             "was stored: the record hash is ") == 0);
  CHECK(FirstProblem(r).find("its received time 2099-01-01T00:00:00Z is later than") !=
        std::string::npos);
  MESSAGE("edited received time: " << r.err);

  Sql(clinic,
      "UPDATE submissions SET received_at = '2020-01-01T00:00:00Z' WHERE id = '" + victim.id + "'");
  r = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r).find("submission " + victim.id +
                             " (received 2020-01-01T00:00:00Z): its row no longer matches") == 0);
  CHECK(FirstProblem(r).find("its received time, review flag or witness unlock") !=
        std::string::npos);
  MESSAGE("received time moved earlier: " << r.err);
}

TEST_CASE("an edited language is named") {
  Clinic clinic;
  const SubmissionRecord& victim = clinic.stored[2];
  Sql(clinic, "UPDATE submissions SET language = 'xx' WHERE id = '" + victim.id + "'");
  test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r) == "submission " + victim.id + " (received " + victim.received_at +
                               "): its language is 'xx' but its content was filled in '" +
                               victim.language + "'");
  CHECK(HasProblem(r, "submission " + victim.id + " (received " + victim.received_at +
                          "): its row no longer matches what was stored"));
  MESSAGE("edited language: " << r.err);
}

TEST_CASE("a stored event from before record hashes is named, and fails verify") {
  Clinic clinic;
  test::TempDir tmp;
  std::string script = tmp.Write("drop.py", kDropRecordHashes);
  test::CommandResult py =
      Run(std::string(CK_PYTHON) + " " + ShellQuote(script) + " " + ShellQuote(clinic.db()));
  REQUIRE_MESSAGE(py.exit_code == 0, py.err);
  test::CommandResult r = Consentkit("verify " + ShellQuote(clinic.path()));
  CHECK(r.exit_code == 1);
  // The chain itself is intact: the only problems are the four records.
  CHECK_FALSE(HasProblem(r, "has been altered"));
  CHECK_FALSE(HasProblem(r, "does not follow"));
  const SubmissionRecord& first = clinic.stored[0];
  CHECK(FirstProblem(r) == "submission " + first.id + " (received " + first.received_at +
                               "): the submission.stored event (audit event 2) was anchored "
                               "before record hashes; its outcome, reasons, received time and "
                               "language are not covered");
  std::size_t named = 0;
  for (std::size_t at = r.err.find("anchored before record hashes"); at != std::string::npos;
       at = r.err.find("anchored before record hashes", at + 1)) {
    ++named;
  }
  CHECK(named == 4);
  MESSAGE("no record hash: " << r.err);
}

TEST_CASE("not a zip, and usage errors") {
  test::TempDir tmp;
  std::string junk = tmp.Write("junk.zip", "this is not a zip");
  test::CommandResult r = Consentkit("verify " + ShellQuote(junk));
  CHECK(r.exit_code == 1);
  CHECK(FirstProblem(r).find(junk + " is not a readable zip archive") == 0);
  CHECK(Consentkit("verify").exit_code == 2);
  CHECK(Consentkit("export --data " + tmp.path()).exit_code == 2);
  test::CommandResult bad_date =
      Consentkit("export --data " + tmp.path() + " -o x.zip --from 2026-02-30");
  CHECK(bad_date.exit_code == 2);
  CHECK(bad_date.err.find("--from \"2026-02-30\" is not a date") != std::string::npos);
  CHECK(Consentkit("export --data " + tmp.path() + " -o x.zip --from 2026-02-01 --to 2026-01-01")
            .exit_code == 2);
  CHECK(Consentkit("export --help").out.find("--to DATE") != std::string::npos);
  CHECK(Consentkit("verify --help").exit_code == 0);
  // No database: refused, and nothing is created or written.
  test::CommandResult none = Consentkit("export --data " + tmp.path() + " -o " + tmp.File("x.zip") +
                                        " --cert " + tmp.Write("c", "x"));
  CHECK(none.exit_code == 1);
  CHECK(Run("ls -A " + ShellQuote(tmp.path())).out == "c\njunk.zip\n");
}

TEST_CASE("the zip writer goes past 65,535 entries with ZIP64 records others can read") {
  test::TempDir tmp;
  std::string path = tmp.File("many.zip");
  {
    std::ofstream out(path, std::ios::binary);
    ZipStreamWriter zip(out, Poco::DateTime(2026, 11, 23));
    for (int n = 0; n < 70000; ++n) zip.AddStored("e/" + std::to_string(n), std::to_string(n));
    DeflatedEntry text;
    for (int n = 0; n < 1000; ++n) text.Write("line " + std::to_string(n) + "\n");
    text.Finish();
    zip.AddDeflated("text.txt", text);
    zip.Finish();
  }
  CHECK(ReadZipEntry(path, "e/69999") == "69999");
  CHECK(ReadZipEntry(path, "text.txt").find("line 999\n") != std::string::npos);
  test::CommandResult py = Run(std::string(CK_PYTHON) + " -c " +
                               ShellQuote("import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); "
                                          "print(len(z.infolist()), z.testzip())") +
                               " " + ShellQuote(path));
  CHECK(py.out == "70001 None\n");
}

// Writes 4.5 GB: run it with archive_test '-tc=*4 GiB*' --no-skip.
TEST_CASE("the zip writer goes past 4 GiB with ZIP64 offsets others can read" * doctest::skip()) {
  test::TempDir tmp;
  std::string path = tmp.File("big.zip");
  std::string block(64 << 20, 'x');
  {
    std::ofstream out(path, std::ios::binary);
    ZipStreamWriter zip(out, Poco::DateTime(2026, 11, 23));
    for (int n = 0; n < 70; ++n) zip.AddStored("block-" + std::to_string(n), block);
    zip.AddStored("last.txt", "the end");
    zip.Finish();
  }
  CHECK(ReadZipEntry(path, "last.txt") == "the end");
  test::CommandResult py = Run(std::string(CK_PYTHON) + " -c " +
                               ShellQuote("import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); "
                                          "print(len(z.infolist()), z.read('last.txt'), "
                                          "z.getinfo('last.txt').header_offset > 2**32)") +
                               " " + ShellQuote(path));
  CHECK(py.out == "71 b'the end' True\n");
  CHECK(Run("unzip -tq " + ShellQuote(path)).exit_code == 0);
}

// Peak resident memory, in KiB, of one `consentkit export` of `count`
// generated submissions (real sizes, made-up PDF bytes: export never parses
// them).
long ExportPeakKiB(int count) {
  test::TempDir dir;
  GiveSealFiles(dir);
  {
    SqliteOptions fast;
    fast.synchronous_full = false;
    auto store = OpenSqliteStore(dir.path(), fast);
    FormPtr form = LoadForm("microneedling-consent");
    std::string body(12 * 1024, '\0');
    std::uint32_t state = 12345;
    for (char& c : body) c = static_cast<char>((state = state * 1103515245u + 12345u) >> 24);
    for (int n = 0; n < count; ++n) {
      SubmissionRecord r;
      r.id = Uuid(n);
      r.form_id = form->id;
      r.form_version = form->version;
      r.form_sha256 = form->sha256_hex;
      r.language = "en";
      r.received_at = UtcNow();
      r.content_json = "{\"n\":" + std::to_string(n) + "}";
      r.content_sha256 = Sha256Hex(r.content_json);
      std::string pdf = "%PDF-1.7\n% submission " + r.id + "\n" + body + "\n%%EOF\n";
      r.pdf_sha256 = Sha256Hex(pdf);
      store->Put(r, pdf, *form, "tok_bench");
    }
  }
  test::CommandResult r = Run("/usr/bin/time -f %M " + Binary() + " export --data " +
                              ShellQuote(dir.path()) + " -o " + ShellQuote(dir.File("a.zip")));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  std::string last = r.err.substr(r.err.rfind('\n', r.err.size() - 2) + 1);
  return std::stol(last);
}

// Too slow for every run (about a minute, 2.5 GB of disk): run it with
// archive_test '-tc=*100?000*' --no-skip (doctest splits filters at commas).
TEST_CASE("export memory at 100,000 submissions" * doctest::skip()) {
  long peak = ExportPeakKiB(100000);
  MESSAGE("peak RSS of consentkit export: 100,000 submissions " << peak << " KiB");
  CHECK(peak < 64 * 1024);
}

TEST_CASE("export memory stays flat from 1,000 to 10,000 submissions") {
  long small = ExportPeakKiB(1000);
  long large = ExportPeakKiB(10000);
  MESSAGE("peak RSS of consentkit export: 1,000 submissions " << small << " KiB, 10,000 "
                                                              << "submissions " << large << " KiB");
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer's quarantine keeps freed memory (up to 256 MB) and its
  // shadow grows with it: peak RSS says nothing about the export then.
  MESSAGE("AddressSanitizer build: peak memory not judged");
#else
  CHECK(large < 64 * 1024);
  CHECK(large - small < 4 * 1024);
#endif
}

}  // namespace
}  // namespace consentkit
