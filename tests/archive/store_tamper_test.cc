// A data folder tampered with the way someone with the database file would:
// rows and events removed and the chain rehashed, everything wiped, the
// tail cut off, sealed PDFs swapped or copied between records, an invite
// extended; and a folder verified as it is, read-only, or with a damaged
// page. (Edited outcome, reasons, received time and language are named in
// archive_test.cc.)
#include <doctest/doctest.h>

#include <functional>
#include <set>

#include "api/api.h"
#include "archive/archive.h"
#include "archive/data_folder.h"
#include "seal/seal.h"
#include "service/intake.h"
#include "store/store.h"
#include "support/filled.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::Run;
using test::ShellQuote;

const SigningIdentity& Identity() { return test::ClinicSeal(); }

std::string Uuid(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "7a2e9c00-2222-4333-8444-%012d", n);
  return text;
}

// A clinic's data folder made through the intake service, so every seal
// names its record. Audit events: 1 the tablet's token, 2 a visit, 3 its
// invite, then one per submission; a signed checkpoint of the last.
struct SealedClinic {
  test::TempDir dir;
  std::vector<SubmissionRecord> stored;
  Invite invite;

  explicit SealedClinic(int submissions = 3) {
    WriteFileAtomically(dir.File(kSealCertFile), Identity().certificate_pem());
    SqliteOptions fast;
    fast.synchronous_full = false;
    auto store = OpenSqliteStore(path(), fast);
    Token token{"tok_tablet01",      "Front desk iPad", Role::kTablet,
                Sha256Hex("secret"), UtcNow(),          ""};
    store->AddToken(token, "cli");
    Visit visit{"vis_0123456789abcdef01234567",
                UtcNow(),
                "cli",
                Patient{"Zoë Muñoz", "1990-04-01", "P-17"},
                {"microneedling-consent"}};
    store->AddVisit(visit, "cli");
    invite = Invite{"inv_0123456789abcdef", visit.id, Sha256Hex("invite secret"), UtcNow(), "cli",
                    "2099-01-01T00:00:00Z", ""};
    store->AddInvite(invite, "cli");
    ClinicSettings clinic;
    clinic.name = "Harbourview Skin Clinic";
    IntakeService intake(LoadFormsDirectory(test::SourcePath("forms")), *store, clinic,
                         &Identity());
    LoadResult form = LoadFormFile(test::SourcePath("forms/microneedling-consent.xml"));
    REQUIRE(form.ok());
    for (int n = 1; n <= submissions; ++n) {
      std::string body = CanonicalSubmissionJson(test::FilledSubmission(*form.form, Uuid(n)));
      SubmitResult result = intake.Submit("tok_tablet01", form.form->id, body);
      REQUIRE_MESSAGE(result.status == SubmitStatus::kStored, result.detail);
      stored.push_back(result.record);
    }
    test::SignCheckpoint(*store, Identity());
  }
  const std::string& path() const { return dir.path(); }
  std::string db() const { return dir.File("consentkit.db"); }
  void Sql(const std::string& statements) const {
    test::CommandResult r = Run("sqlite3 " + ShellQuote(db()) + " " + ShellQuote(statements));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }
  std::int64_t LastSeq() const { return OpenSqliteStore(path())->LastAuditSeq(); }
  VerifyReport Verify(const VerifyOptions& options = {}) const {
    return VerifyDataDir(path(), Identity().certificate_pem(), options);
  }
};

std::string AllProblems(const VerifyReport& report) {
  std::string text;
  for (const std::string& p : report.problems) text += p + "\n";
  return text;
}

bool Names(const VerifyReport& report, const std::string& part) {
  return AllProblems(report).find(part) != std::string::npos;
}

std::string Quoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

// Rewrites the audit chain as a forger with the database would: `edit`
// changes the events (drops, edits), then they are renumbered from 1 and
// every hash recomputed, so the chain alone is intact again.
void RewriteChain(const SealedClinic& clinic,
                  const std::function<void(std::vector<AuditEvent>&)>& edit,
                  const std::string& extra_sql = "") {
  std::vector<AuditEvent> events;
  OpenSqliteStore(clinic.path())->ForEachAuditEvent(1, 0, [&](const AuditEvent& e) {
    events.push_back(e);
  });
  edit(events);
  std::string sql = "BEGIN; DELETE FROM audit;";
  std::string prev = kGenesisHash;
  for (std::size_t i = 0; i < events.size(); ++i) {
    AuditEvent& e = events[i];
    e.seq = static_cast<std::int64_t>(i + 1);
    e.prev_hash = prev;
    e.hash = AuditHash(prev, e);
    prev = e.hash;
    sql += "INSERT INTO audit (seq, at, actor, action, object, detail, prev_hash, hash) VALUES (" +
           std::to_string(e.seq) + "," + Quoted(e.at) + "," + Quoted(e.actor) + "," +
           Quoted(e.action) + "," + Quoted(e.object) + "," + Quoted(e.detail) + "," +
           Quoted(e.prev_hash) + "," + Quoted(e.hash) + ");";
  }
  clinic.Sql(sql + extra_sql + "COMMIT;");
}

// "key=value;…" with `key`'s value replaced.
std::string WithDetail(const std::string& detail, const std::string& key,
                       const std::string& value) {
  std::size_t start = detail.find(key + "=");
  REQUIRE(start != std::string::npos);
  start += key.size() + 1;
  std::size_t end = detail.find(';', start);
  return detail.substr(0, start) + value + (end == std::string::npos ? "" : detail.substr(end));
}

TEST_CASE("an intact folder verifies and its summary names the latest checkpoint") {
  SealedClinic clinic;
  VerifyReport report = clinic.Verify();
  CHECK_MESSAGE(report.ok, report.first_problem);
  std::int64_t last = clinic.LastSeq();
  CHECK(report.summary.find("the latest signed checkpoint (of 1 valid checkpoint) covers event " +
                            std::to_string(last)) != std::string::npos);
  CHECK(report.summary.find("with 0 events past it") != std::string::npos);
  CHECK(report.summary.find("integrity_check: ok") != std::string::npos);
  CHECK(report.summary.find("1 invite match") != std::string::npos);
  CHECK(report.summary.find("each seal names the record it is filed under") != std::string::npos);
  MESSAGE(report.summary);
}

TEST_CASE("a truncated tail is caught by the checkpoint") {
  SealedClinic clinic;
  std::int64_t last = clinic.LastSeq();
  const SubmissionRecord& victim = clinic.stored.back();
  clinic.Sql("DELETE FROM audit WHERE seq = " + std::to_string(last) +
             "; DELETE FROM submissions WHERE id = '" + victim.id + "';");
  VerifyReport report = clinic.Verify();
  CHECK_FALSE(report.ok);
  CHECK(Names(report, "the chain ends at event " + std::to_string(last - 1) +
                          " but checkpoint of event " + std::to_string(last) + " signed at "));
  CHECK(Names(report, "says it reached " + std::to_string(last) + ": events were removed"));
  MESSAGE(AllProblems(report));
}

TEST_CASE("a record removed with its events and the chain rehashed is caught by the checkpoint") {
  SealedClinic clinic;
  const SubmissionRecord& victim = clinic.stored[1];
  std::int64_t last = clinic.LastSeq();
  RewriteChain(
      clinic,
      [&](std::vector<AuditEvent>& events) {
        events.erase(std::remove_if(events.begin(), events.end(),
                                    [&](const AuditEvent& e) { return e.object == victim.id; }),
                     events.end());
      },
      "DELETE FROM submissions WHERE id = '" + victim.id + "';");
  VerifyReport report = clinic.Verify();
  CHECK_FALSE(report.ok);
  // The chain itself is intact again; only the checkpoint tells.
  CHECK_FALSE(Names(report, "has been altered"));
  CHECK(Names(report, "the chain ends at event " + std::to_string(last - 1) +
                          " but checkpoint of event " + std::to_string(last)));
  MESSAGE(AllProblems(report));
}

TEST_CASE("everything wiped: caught by the checkpoints, or only by the expected head") {
  SealedClinic clinic;
  std::int64_t last = clinic.LastSeq();
  std::string head;
  OpenSqliteStore(clinic.path())->ForEachAuditEvent(last, last, [&](const AuditEvent& e) {
    head = e.hash;
  });
  SUBCASE("checkpoints left") {
    clinic.Sql("DELETE FROM submissions; DELETE FROM audit;");
    VerifyReport report = clinic.Verify();
    CHECK_FALSE(report.ok);
    CHECK(Names(report, "the chain ends at event 0 but checkpoint of event " +
                            std::to_string(last) + " signed at "));
    MESSAGE(AllProblems(report));
  }
  SUBCASE("checkpoints and every other row deleted too") {
    clinic.Sql(
        "DELETE FROM submissions; DELETE FROM audit; DELETE FROM checkpoints; DELETE FROM "
        "reviews; DELETE FROM invites; DELETE FROM visits; DELETE FROM tokens; DELETE FROM "
        "definitions; DELETE FROM witness_unlocks; DELETE FROM handoffs;");
    VerifyReport alone = clinic.Verify();
    CHECK_FALSE(alone.ok);
    CHECK(alone.first_problem.find("the data folder is empty and unproven") == 0);
    CHECK(alone.summary.find(" verifies") == std::string::npos);

    VerifyOptions by_hash;
    by_hash.expect_last_hash = head;
    VerifyReport hashed = clinic.Verify(by_hash);
    CHECK(Names(hashed, "the chain does not hold the expected head " + head.substr(0, 16) +
                            "…: none of its 0 events has that hash: it was truncated, wiped "
                            "or rewritten"));
    VerifyOptions by_seq;
    by_seq.expect_seq = last;
    CHECK(Names(clinic.Verify(by_seq), "the chain ends at event 0, before the expected event " +
                                           std::to_string(last) + ": it was truncated or wiped"));
    MESSAGE(AllProblems(hashed));
  }
}

TEST_CASE("a served folder's checkpoint of the empty chain holds, but proves no event") {
  // What `consentkit serve` does on a fresh folder: a checkpoint at seq 0,
  // then events, then one covering them at the stop.
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  CHECK(test::SignCheckpoint(*store, Identity()).seq == 0);
  store->RecordEvent("cli", "test.event", "one");
  VerifyReport tail_unproven = VerifyDataDir(dir.path(), Identity().certificate_pem());
  CHECK_FALSE(tail_unproven.ok);
  CHECK(tail_unproven.first_problem.find("no signed checkpoint of any event") == 0);
  CHECK(tail_unproven.first_problem.find("all of the empty chain") != std::string::npos);
  test::SignCheckpoint(*store, Identity());
  VerifyReport served = VerifyDataDir(dir.path(), Identity().certificate_pem());
  CHECK_MESSAGE(served.ok, AllProblems(served));

  // Wiped down to the seq-0 checkpoint, which any fresh folder signed alike.
  test::CommandResult r = Run("sqlite3 " + ShellQuote(dir.File("consentkit.db")) +
                              " 'DELETE FROM audit; DELETE FROM checkpoints WHERE seq > 0'");
  REQUIRE(r.exit_code == 0);
  VerifyReport wiped = VerifyDataDir(dir.path(), Identity().certificate_pem());
  CHECK_FALSE(wiped.ok);
  CHECK(wiped.first_problem.find("the data folder is empty and unproven") == 0);
}

TEST_CASE("the expected head is found, and a rewritten one is named") {
  SealedClinic clinic;
  std::int64_t last = clinic.LastSeq();
  std::string head;
  OpenSqliteStore(clinic.path())->ForEachAuditEvent(last, last, [&](const AuditEvent& e) {
    head = e.hash;
  });
  VerifyOptions options;
  options.expect_last_hash = head;
  options.expect_seq = last;
  VerifyReport report = clinic.Verify(options);
  CHECK_MESSAGE(report.ok, report.first_problem);
  CHECK(report.summary.find("the expected head " + head.substr(0, 16) + "… is event " +
                            std::to_string(last)) != std::string::npos);
  options.expect_last_hash = std::string(64, 'a');
  report = clinic.Verify(options);
  CHECK(Names(report, "the chain does not hold the expected head aaaaaaaaaaaaaaaa… at event " +
                          std::to_string(last)));
}

TEST_CASE("two sealed PDFs swapped, with the row hashes and the chain rewritten, are named") {
  SealedClinic clinic;
  SubmissionRecord a = clinic.stored[0], b = clinic.stored[1];
  std::string pdf_a, pdf_b;
  {
    auto store = OpenSqliteStore(clinic.path());
    pdf_a = *store->FindPdf(a.id);
    pdf_b = *store->FindPdf(b.id);
  }
  std::string file_a = clinic.dir.Write("a.pdf", pdf_a), file_b = clinic.dir.Write("b.pdf", pdf_b);
  // Each row takes the other's PDF and its hash; each stored event anchors
  // the new PDF and the new record hash.
  SubmissionRecord new_a = a, new_b = b;
  new_a.pdf_sha256 = Sha256Hex(pdf_b);
  new_b.pdf_sha256 = Sha256Hex(pdf_a);
  std::string rows = "UPDATE submissions SET pdf = readfile('" + file_b + "'), pdf_sha256 = '" +
                     new_a.pdf_sha256 + "' WHERE id = '" + a.id +
                     "'; UPDATE submissions SET pdf = readfile('" + file_a + "'), pdf_sha256 = '" +
                     new_b.pdf_sha256 + "' WHERE id = '" + b.id + "';";
  RewriteChain(
      clinic,
      [&](std::vector<AuditEvent>& events) {
        for (AuditEvent& e : events) {
          if (e.action != "submission.stored") continue;
          const SubmissionRecord* now = e.object == a.id   ? &new_a
                                        : e.object == b.id ? &new_b
                                                           : nullptr;
          if (!now) continue;
          e.detail = WithDetail(WithDetail(e.detail, "pdf_sha256", now->pdf_sha256),
                                "record_sha256", RecordHash(*now));
        }
      },
      rows);
  VerifyReport report = clinic.Verify();
  CHECK_FALSE(report.ok);
  CHECK_FALSE(Names(report, "has been altered"));
  CHECK_FALSE(Names(report, "no longer matches what was stored"));
  CHECK(Names(report, "submission " + a.id + " (received " + a.received_at +
                          "): the PDF filed under " + a.id + " was sealed for submission " + b.id));
  CHECK(Names(report, "the PDF filed under " + b.id + " was sealed for submission " + a.id));
  MESSAGE(AllProblems(report));
}

TEST_CASE("a sealed PDF copied under a new id is named") {
  SealedClinic clinic;
  const SubmissionRecord& original = clinic.stored[0];
  {
    auto store = OpenSqliteStore(clinic.path());
    SubmissionRecord copy = *store->Find(original.id);
    copy.id = Uuid(99);
    LoadResult form = LoadFormFile(test::SourcePath("forms/microneedling-consent.xml"));
    REQUIRE(form.ok());
    REQUIRE(store->Put(copy, *store->FindPdf(original.id), *form.form, "tok_tablet01").status ==
            PutStatus::kStored);
    test::SignCheckpoint(*store, Identity());
  }
  VerifyReport report = clinic.Verify();
  CHECK_FALSE(report.ok);
  CHECK(report.problem_count == 1);
  CHECK(report.first_problem.find("submission " + Uuid(99) + " (received ") == 0);
  CHECK(Names(report,
              "the PDF filed under " + Uuid(99) + " was sealed for submission " + original.id));
  MESSAGE(AllProblems(report));
}

TEST_CASE("an invite's raised expiry is named") {
  SealedClinic clinic;
  clinic.Sql("UPDATE invites SET expires_at = '2199-01-01T00:00:00Z'");
  VerifyReport report = clinic.Verify();
  CHECK_FALSE(report.ok);
  CHECK(report.first_problem == "invite " + clinic.invite.id + " (visit " + clinic.invite.visit_id +
                                    "): its expiry is 2199-01-01T00:00:00Z in the invites table, "
                                    "but invite.created (audit event 3) anchors " +
                                    clinic.invite.expires_at);
}

TEST_CASE("an invite un-revoked, or deleted while live, is named") {
  SealedClinic clinic;
  SUBCASE("deleted while live") {
    clinic.Sql("DELETE FROM invites");
    CHECK(clinic.Verify().first_problem.find("invite " + clinic.invite.id + " (visit " +
                                             clinic.invite.visit_id +
                                             ", invite.created (audit event 3), expires ") == 0);
  }
  SUBCASE("revoked, then un-revoked") {
    REQUIRE(OpenSqliteStore(clinic.path())->RevokeInvite(clinic.invite.id, "cli"));
    test::SignCheckpoint(*OpenSqliteStore(clinic.path()), Identity());
    REQUIRE(clinic.Verify().ok);
    clinic.Sql("UPDATE invites SET revoked_at = ''");
    CHECK(Names(clinic.Verify(), "invite " + clinic.invite.id + " (visit " +
                                     clinic.invite.visit_id + ") was revoked by invite.revoked"));
  }
}

// Every file of `dir` with its bytes, and the listing itself.
std::string Snapshot(const std::string& dir) {
  test::CommandResult r =
      Run("cd " + ShellQuote(dir) + " && ls -la --time-style=+ . && sha256sum *");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return r.out;
}

TEST_CASE("a read-only copy of a data folder verifies and is left exactly as it was") {
  SealedClinic clinic;
  test::TempDir outer;
  std::string copy = outer.File("copy");
  test::CommandResult cp =
      Run("cp -a " + ShellQuote(clinic.path()) + " " + ShellQuote(copy) +
          " && chown -R 65534:65534 " + ShellQuote(copy) + " && chmod -R a-w " + ShellQuote(copy) +
          " && chmod 755 " + ShellQuote(outer.path()));
  REQUIRE_MESSAGE(cp.exit_code == 0, cp.err);
  std::string before = Snapshot(copy);
  CHECK(before.find("-wal") == std::string::npos);

  VerifyReport report = VerifyDataDir(copy, Identity().certificate_pem());
  CHECK_MESSAGE(report.ok, report.first_problem);
  test::CommandResult cli = Run(std::string(CK_BINARY) + " verify " + ShellQuote(copy));
  CHECK_MESSAGE(cli.exit_code == 0, cli.err);
  test::CommandResult nobody = Run("setpriv --reuid=65534 --regid=65534 --clear-groups " +
                                   std::string(CK_BINARY) + " verify " + ShellQuote(copy));
  CHECK_MESSAGE(nobody.exit_code == 0, nobody.err);
  CHECK(nobody.out.find(" verifies: ") != std::string::npos);

  std::string after = Snapshot(copy);
  CHECK(after == before);
  CHECK(after.find("-wal") == std::string::npos);
  CHECK(after.find("-shm") == std::string::npos);
  Run("chmod -R u+w " + ShellQuote(copy));
}

TEST_CASE("a damaged page names the records on it and the rest is still checked") {
  SealedClinic clinic(12);
  test::TempDir tmp;
  std::string db = tmp.File("consentkit.db");
  WriteFileAtomically(tmp.File(kSealCertFile), Identity().certificate_pem());
  WriteFileAtomically(db, ReadFile(clinic.db()));
  // A leaf page of the submissions table other than the first: its header
  // overwritten, so every row on it fails to read and the others do not.
  test::CommandResult pages = Run("sqlite3 " + ShellQuote(db) +
                                  " \"SELECT pageno FROM dbstat WHERE name = 'submissions' AND "
                                  "pagetype = 'leaf' ORDER BY pageno\"");
  REQUIRE_MESSAGE(pages.exit_code == 0, pages.err);
  std::vector<long> leaves;
  for (std::size_t at = 0; at < pages.out.size();) {
    std::size_t end = pages.out.find('\n', at);
    leaves.push_back(std::stol(pages.out.substr(at, end - at)));
    at = end + 1;
  }
  REQUIRE(leaves.size() >= 2);
  long page = leaves[leaves.size() / 2];
  std::string bytes = ReadFile(db);
  std::size_t offset = static_cast<std::size_t>(page - 1) * 4096;
  REQUIRE(offset + 8 < bytes.size());
  for (std::size_t i = 0; i < 8; ++i) bytes[offset + i] = '\xee';
  WriteFileAtomically(db, bytes);

  std::set<std::string> damaged;
  for (const SubmissionRecord& r : clinic.stored) {
    test::CommandResult read =
        Run("sqlite3 " + ShellQuote(db) + " \"SELECT length(pdf) FROM submissions WHERE id = '" +
            r.id + "'\"");
    if (read.exit_code != 0) damaged.insert(r.id);
  }
  REQUIRE(!damaged.empty());
  REQUIRE(damaged.size() < clinic.stored.size());

  VerifyReport report = VerifyDataDir(tmp.path(), Identity().certificate_pem());
  CHECK_FALSE(report.ok);
  CHECK(report.first_problem.find("integrity_check: ") == 0);
  for (const SubmissionRecord& r : clinic.stored) {
    bool named = Names(report, "submission " + r.id + " cannot be read: ");
    CHECK_MESSAGE(named == (damaged.count(r.id) > 0), r.id);
  }
  // The others were checked: none of them is a problem, and the chain,
  // tokens and invites were judged in full.
  CHECK(report.summary.find(" and " + std::to_string(clinic.stored.size() - damaged.size()) +
                            " submissions (" + std::to_string(damaged.size()) +
                            (damaged.size() == 1 ? " submission" : " submissions") +
                            " could not be read)") != std::string::npos);
  CHECK_FALSE(Names(report, "audit event"));
  CHECK_FALSE(Names(report, "is missing"));
  MESSAGE(report.summary << "\n" << AllProblems(report));
}

}  // namespace
}  // namespace consentkit
