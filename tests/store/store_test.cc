// The SQLite store: all-or-nothing puts, retries and conflicts, schema
// migrations, and nothing lost across a reopen. The database is inspected
// through its own SQL where a claim is about the file.
#include "store/store.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <atomic>
#include <set>
#include <thread>

#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

FormPtr Consent() {
  LoadResult r = LoadFormFile(test::SourcePath("forms/microneedling-consent.xml"));
  REQUIRE(r.ok());
  return r.form;
}

SubmissionRecord Record(const FormDefinition& form, const std::string& id,
                        const std::string& content) {
  SubmissionRecord r;
  r.id = id;
  r.form_id = form.id;
  r.form_version = form.version;
  r.form_sha256 = form.sha256_hex;
  r.language = "en";
  r.received_at = "2026-11-23T10:15:02Z";
  r.outcome = Outcome::kPractitionerReview;
  r.reasons = {"Recent isotretinoin: practitioner to review", "Second reason"};
  r.content_json = content;
  r.content_sha256 = "hash-of-" + content;
  r.pdf_sha256 = "pdfhash";
  return r;
}

// Binary PDF bytes, NULs and high bytes included.
std::string Pdf() { return std::string("%PDF-1.7\n\0\xff\xfe body", 17); }

Poco::Data::Session Inspect(const test::TempDir& dir) {
  Poco::Data::SQLite::Connector::registerConnector();
  return Poco::Data::Session("SQLite", dir.File("consentkit.db"));
}

Token StoredToken(const std::string& id, Role role) {
  Token token;
  token.id = id;
  token.name = "Front desk";
  token.role = role;
  token.secret_sha256 = "abc";
  token.created_at = "2026-11-23T10:00:00Z";
  return token;
}

// Makes the database refuse to insert submissions (those matching `when`,
// an SQL condition on NEW, or all), as a full disk or a broken file would.
void RefuseInserts(const test::TempDir& dir, const std::string& when = "") {
  auto session = Inspect(dir);
  session << "CREATE TRIGGER refuse BEFORE INSERT ON submissions " +
                 (when.empty() ? std::string() : "WHEN " + when + " ") +
                 "BEGIN SELECT RAISE(ABORT, 'refused'); END",
      now;
}

TEST_CASE("a put is stored whole and read back exactly") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  SubmissionRecord record = Record(*form, "id-1", "{\"a\":1}");
  PutResult put = store->Put(record, Pdf(), *form, "test");
  CHECK(put.status == PutStatus::kStored);
  auto found = store->Find("id-1");
  REQUIRE(found);
  CHECK(found->form_sha256 == form->sha256_hex);
  CHECK(found->outcome == Outcome::kPractitionerReview);
  CHECK(found->reasons == record.reasons);
  CHECK(found->content_json == "{\"a\":1}");
  CHECK(store->FindPdf("id-1") == Pdf());
  CHECK_FALSE(store->Find("id-2"));
  CHECK_FALSE(store->FindPdf("id-2"));
  CHECK(store->CountSubmissions() == 1);
  // The exact definition text is kept with the first submission against it.
  auto session = Inspect(dir);
  std::string sha;
  Poco::Data::BLOB xml;
  session << "SELECT sha256, xml FROM definitions", into(sha), into(xml), now;
  CHECK(sha == form->sha256_hex);
  CHECK(std::string(reinterpret_cast<const char*>(xml.rawContent()), xml.size()) == form->xml);
  CHECK(store->PinnedDefinitionHash(form->id, form->version) == form->sha256_hex);
  CHECK_FALSE(store->PinnedDefinitionHash(form->id, "1999.1"));
}

TEST_CASE("the same id again is a duplicate or a conflict, and stores nothing") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  REQUIRE(store->Put(Record(*form, "id-1", "{}"), Pdf(), *form, "test").status ==
          PutStatus::kStored);
  SubmissionRecord retry = Record(*form, "id-1", "{}");
  retry.received_at = "2026-11-23T11:00:00Z";
  PutResult again = store->Put(retry, "other pdf", *form, "test");
  CHECK(again.status == PutStatus::kDuplicate);
  CHECK(again.record.received_at == "2026-11-23T10:15:02Z");  // the first receipt
  PutResult conflict = store->Put(Record(*form, "id-1", "{\"x\":2}"), "other", *form, "test");
  CHECK(conflict.status == PutStatus::kConflict);
  CHECK(store->CountSubmissions() == 1);
  CHECK(store->FindPdf("id-1") == Pdf());
}

TEST_CASE("a failed put leaves no row behind, not even the definition") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  RefuseInserts(dir);
  CHECK_THROWS_WITH_AS(store->Put(Record(*form, "id-1", "{}"), Pdf(), *form, "test"),
                       doctest::Contains("storing submission id-1"), StoreError);
  auto session = Inspect(dir);
  int definitions = -1;
  session << "SELECT COUNT(*) FROM definitions", into(definitions), now;
  CHECK(definitions == 0);
  CHECK(store->CountSubmissions() == 0);
}

TEST_CASE("puts from many threads commit in groups, each whole or not at all") {
  // Group commit puts concurrent puts in one transaction, each in its own
  // savepoint: one that fails must not take the others with it, and the
  // audit chain must hold exactly one link per stored submission.
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  RefuseInserts(dir, "NEW.id LIKE 'bad-%'");
  constexpr int kThreads = 8, kEach = 25;
  std::atomic<int> stored{0}, duplicates{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Every fifth is refused by the trigger; "shared-i" is sent by all.
        std::string id = i % 5 == 0   ? "bad-" + std::to_string(t) + "-" + std::to_string(i)
                         : i % 5 == 1 ? "shared-" + std::to_string(i)
                                      : "id-" + std::to_string(t) + "-" + std::to_string(i);
        try {
          PutResult put = store->Put(Record(*form, id, "{}"), Pdf(), *form, "t");
          (put.status == PutStatus::kStored ? stored : duplicates)++;
        } catch (const StoreError& e) {
          CHECK(std::string(e.what()).find("storing submission " + id) != std::string::npos);
          failed++;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  constexpr int kShared = kEach / 5;  // one "shared-i" id per i % 5 == 1
  CHECK(failed == kThreads * kShared);
  CHECK(stored == kThreads * (kEach - 2 * kShared) + kShared);
  CHECK(duplicates == (kThreads - 1) * kShared);
  CHECK(store->CountSubmissions() == static_cast<std::size_t>(stored.load()));
  std::vector<AuditEvent> events;
  store->ForEachAuditEvent(1, 0, [&](const AuditEvent& e) { events.push_back(e); });
  CHECK(events.size() == static_cast<std::size_t>(stored.load()));
  std::string prev = kGenesisHash;
  std::set<std::string> objects;
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(events[i].seq == static_cast<std::int64_t>(i + 1));
    CHECK(events[i].hash == AuditHash(prev, events[i]));
    CHECK(store->FindPdf(events[i].object) == Pdf());
    objects.insert(events[i].object);
    prev = events[i].hash;
  }
  CHECK(objects.size() == events.size());
}

TEST_CASE("a put that fails with a non-database error does not stop later puts") {
  // A stored row the store cannot read back makes the retry's lookup throw
  // StoreError, not a Poco exception; the group commit must still hand every
  // waiting put its result and let the next one lead.
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  REQUIRE(store->Put(Record(*form, "id-1", "{}"), Pdf(), *form, "t").status == PutStatus::kStored);
  {
    auto session = Inspect(dir);
    session << "UPDATE submissions SET outcome = 'bogus' WHERE id = 'id-1'", now;
  }
  CHECK_THROWS_WITH_AS(store->Put(Record(*form, "id-1", "{}"), Pdf(), *form, "t"),
                       doctest::Contains("storing submission id-1"), StoreError);
  CHECK(store->Put(Record(*form, "id-2", "{}"), Pdf(), *form, "t").status == PutStatus::kStored);
}

TEST_CASE("lookups see every commit at once, this process's and another's") {
  // Find and FindToken read a connection of their own: they must still see
  // a put or a revocation the moment it is committed, here or by another
  // process (`consentkit tokens revoke` while the server runs).
  test::TempDir dir;
  FormPtr form = Consent();
  auto server = OpenSqliteStore(dir.path());
  auto cli = OpenSqliteStore(dir.path());
  cli->AddToken(StoredToken("tok_1", Role::kTablet), "cli");
  REQUIRE(server->FindToken("tok_1"));
  CHECK(server->FindToken("tok_1")->revoked_at.empty());
  REQUIRE(cli->RevokeToken("tok_1", "cli"));
  CHECK_FALSE(server->FindToken("tok_1")->revoked_at.empty());
  CHECK_FALSE(server->Find("id-1"));
  REQUIRE(server->Put(Record(*form, "id-1", "{}"), Pdf(), *form, "t").status == PutStatus::kStored);
  CHECK(server->Find("id-1"));
  CHECK(server->FindPdf("id-1") == Pdf());
  CHECK(cli->Find("id-1"));
}

TEST_CASE("the database is WAL, migrated, and survives a reopen") {
  test::TempDir dir;
  FormPtr form = Consent();
  {
    auto store = OpenSqliteStore(dir.path());
    store->Put(Record(*form, "id-1", "{}"), Pdf(), *form, "test");
  }
  auto store = OpenSqliteStore(dir.path());
  CHECK(store->FindPdf("id-1") == Pdf());
  auto session = Inspect(dir);
  std::string mode;
  int version = 0;
  session << "PRAGMA journal_mode", into(mode), now;
  session << "PRAGMA user_version", into(version), now;
  CHECK(mode == "wal");
  CHECK(version == 3);
  struct stat info {};
  REQUIRE(stat(dir.File("consentkit.db").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);  // patient records: owner only
  REQUIRE(stat(dir.File("consentkit.db-wal").c_str(), &info) == 0);
  CHECK((info.st_mode & 077) == 0);
}

TEST_CASE("a database from a newer consentkit is refused, not damaged") {
  test::TempDir dir;
  OpenSqliteStore(dir.path());
  {
    auto session = Inspect(dir);
    session << "PRAGMA user_version=99", now;
  }
  CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path()),
                       doctest::Contains("schema version 99 is newer than this consentkit "
                                         "understands (3); upgrade consentkit"),
                       StoreError);
}

TEST_CASE("an unopenable database names its path") {
  CHECK_THROWS_WITH_AS(OpenSqliteStore("/nonexistent-folder"),
                       "data folder /nonexistent-folder does not exist; expected a folder for "
                       "consentkit.db",
                       StoreError);
  test::TempDir dir;
  dir.Write("consentkit.db", "this is not a database, just text long enough to be read");
  CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path()), doctest::Contains("consentkit.db: "),
                       StoreError);
}

}  // namespace
}  // namespace consentkit

namespace consentkit {
namespace {

TEST_CASE("every change is a link in the audit chain, in the same transaction") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  SubmissionRecord record = Record(*form, "id-1", "{}");
  store->Put(record, Pdf(), *form, "tok_tablet");
  store->RecordEvent("tok_staff", "pdf.read", "id-1");
  store->AddToken(StoredToken("tok_1", Role::kStaff), "cli");
  CHECK(store->RevokeToken("tok_1", "cli"));
  CHECK_FALSE(store->RevokeToken("tok_1", "cli"));  // already revoked: nothing written
  CHECK_FALSE(store->RevokeToken("tok_none", "cli"));
  std::vector<AuditEvent> events;
  store->ForEachAuditEvent(1, 0, [&](const AuditEvent& e) { events.push_back(e); });
  REQUIRE(events.size() == 4);
  std::string prev = kGenesisHash;
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(events[i].seq == static_cast<std::int64_t>(i + 1));
    CHECK(events[i].prev_hash == prev);
    CHECK(events[i].hash == AuditHash(prev, events[i]));
    prev = events[i].hash;
  }
  CHECK(events[0].action == "submission.stored");
  CHECK(events[0].actor == "tok_tablet");
  CHECK(events[0].detail == "pdf_sha256=pdfhash;content_sha256=hash-of-{}");
  CHECK(events[2].action == "token.created");
  CHECK(events[3].action == "token.revoked");
  CHECK(store->LastAuditSeq() == 4);
  CHECK(store->FindToken("tok_1")->revoked_at.size() == 20);
  // A rolled-back put leaves no audit event either.
  RefuseInserts(dir);
  CHECK_THROWS_AS(store->Put(Record(*form, "id-2", "{}"), Pdf(), *form, "t"), StoreError);
  CHECK(store->LastAuditSeq() == 4);
}

TEST_CASE("the audit hash covers every field of an event") {
  AuditEvent e;
  e.seq = 7;
  e.at = "2026-11-23T10:00:00Z";
  e.actor = "tok_1";
  e.action = "pdf.read";
  e.object = "id";
  e.detail = "d";
  CHECK(CanonicalAuditEvent(e) ==
        "{\"seq\":7,\"at\":\"2026-11-23T10:00:00Z\",\"actor\":\"tok_1\",\"action\":\"pdf.read\","
        "\"object\":\"id\",\"detail\":\"d\"}");
  std::string base = AuditHash(kGenesisHash, e);
  CHECK(base == Sha256Hex(std::string(kGenesisHash) + CanonicalAuditEvent(e)));
  for (std::string AuditEvent::*field : {&AuditEvent::at, &AuditEvent::actor, &AuditEvent::action,
                                         &AuditEvent::object, &AuditEvent::detail}) {
    AuditEvent changed = e;
    changed.*field += "x";
    CHECK(AuditHash(kGenesisHash, changed) != base);
  }
  AuditEvent moved = e;
  moved.seq = 8;
  CHECK(AuditHash(kGenesisHash, moved) != base);
  CHECK(AuditHash(std::string(64, '1'), e) != base);
}

TEST_CASE("submissions stream in time order within a range, with their PDFs") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  for (const char* at : {"2026-11-03T09:00:00Z", "2026-10-31T23:59:59Z", "2026-11-01T00:00:00Z",
                         "2026-12-01T00:00:00Z"}) {
    SubmissionRecord r = Record(*form, std::string("id-") + at, "{}");
    r.received_at = at;
    store->Put(r, std::string("pdf of ") + at, *form, "t");
  }
  std::vector<std::string> seen;
  store->ForEachSubmission("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z",
                           [&](const SubmissionRecord& r, const std::string& pdf) {
                             CHECK(pdf == "pdf of " + r.received_at);
                             seen.push_back(r.received_at);
                           });
  CHECK(seen == std::vector<std::string>{"2026-11-01T00:00:00Z", "2026-11-03T09:00:00Z"});
  std::size_t all = 0;
  store->ForEachSubmission("", "", [&](const SubmissionRecord&, const std::string&) { ++all; });
  CHECK(all == 4);
  CHECK(store->DefinitionXml(form->id, form->version) == form->xml);
  CHECK_FALSE(store->DefinitionXml(form->id, "0"));
}

}  // namespace
}  // namespace consentkit
