// The SQLite store: all-or-nothing puts, retries and conflicts, schema
// migrations, and nothing lost across a reopen. The database is inspected
// through its own SQL where a claim is about the file.
#include "store/store.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "store/marker.h"
#include "store/name_key.h"
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
  CHECK(version == 8);
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
                                         "understands (8); upgrade consentkit"),
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
  CHECK(events[0].detail ==
        "pdf_sha256=pdfhash;content_sha256=hash-of-{};record_sha256=" + RecordHash(record));
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

// A streaming read's visitor (the zip writer, for export) is not the
// database: what it throws, a Poco exception too, comes out as it is, not
// as a StoreError, and ends the read; the store stays usable.
TEST_CASE("what a streaming read's visitor throws propagates as it is") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  store->Put(Record(*form, "a", "{}"), Pdf(), *form, "t");
  store->Put(Record(*form, "b", "{}"), Pdf(), *form, "t");
  int calls = 0;
  auto failing = [&](const SubmissionRecord&, const std::string&) {
    ++calls;
    throw Poco::IOException("the output broke");
  };
  CHECK_THROWS_AS(store->ForEachSubmission("", "", failing), Poco::IOException);
  CHECK(calls == 1);
  CHECK_THROWS_AS(store->ForEachAuditEvent(
                      1, 0, [](const AuditEvent&) { throw Poco::DataFormatException("bad line"); }),
                  Poco::DataFormatException);
  CHECK_THROWS_AS(
      store->ForEachAuditEvent(1, 0, [](const AuditEvent&) { throw std::out_of_range("mine"); }),
      std::out_of_range);
  std::size_t all = 0;
  store->ForEachSubmission("", "", [&](const SubmissionRecord&, const std::string&) { ++all; });
  CHECK(all == 2);
  std::int64_t seq = store->RecordEvent("t", "after", "").seq;
  CHECK(seq == store->LastAuditSeq());
}

}  // namespace
}  // namespace consentkit

// Schema 4: visits, reviews, invites and kiosk hand-offs, and the listings.
namespace consentkit {
namespace {

std::string VisitId(int n) {
  std::string hex = std::to_string(n);
  return "vis_" + std::string(24 - hex.size(), '0') + hex;
}

Visit MakeVisit(const std::string& id, const std::string& created_at, const std::string& name,
                const std::string& dob) {
  Visit v;
  v.id = id;
  v.created_at = created_at;
  v.created_by = "tok_staff";
  v.patient = {name, dob, ""};
  v.form_ids = {"microneedling-intake", "microneedling-consent"};
  return v;
}

SubmissionRecord RecordAt(const FormDefinition& form, const std::string& id,
                          const std::string& received_at, Outcome outcome) {
  SubmissionRecord r = Record(form, id, "{}");
  r.received_at = received_at;
  r.outcome = outcome;
  return r;
}

Review MakeReview(const std::string& submission_id, const std::string& decision) {
  Review r;
  r.submission_id = submission_id;
  r.decision = decision;
  r.note = "Stopped isotretinoin in March";
  r.practitioner = "tok_prac";
  r.practitioner_name = "Dr. Quinn";
  r.reviewed_at = "2026-11-23T12:00:00Z";
  r.pdf_sha256 = "countersigned-hash-" + decision;
  return r;
}

Invite MakeInvite(const std::string& id, const std::string& visit_id,
                  const std::string& created_at) {
  Invite i;
  i.id = id;
  i.visit_id = visit_id;
  i.secret_sha256 = "secret-hash-" + id;
  i.created_at = created_at;
  i.created_by = "tok_staff";
  i.expires_at = "2026-11-24T09:00:00Z";
  return i;
}

// Every audit event, each checked to be the next link of the chain.
std::vector<AuditEvent> VerifiedChain(Store& store) {
  std::vector<AuditEvent> events;
  std::string prev = kGenesisHash;
  store.ForEachAuditEvent(1, 0, [&](const AuditEvent& e) {
    CHECK(e.seq == static_cast<std::int64_t>(events.size() + 1));
    CHECK(e.prev_hash == prev);
    CHECK(e.hash == AuditHash(prev, e));
    prev = e.hash;
    events.push_back(e);
  });
  return events;
}

template <typename T>
std::vector<std::string> Ids(const std::vector<T>& items) {
  std::vector<std::string> ids;
  for (const T& item : items) ids.push_back(item.id);
  return ids;
}

int RowsOf(const test::TempDir& dir, const std::string& table) {
  auto session = Inspect(dir);
  int count = -1;
  session << "SELECT COUNT(*) FROM " + table, into(count), now;
  return count;
}

TEST_CASE("a visit is stored and read back exactly, and its audit event names no patient") {
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  Visit visit = MakeVisit(VisitId(1), "2026-11-23T09:00:00Z", "Ada Lovelace", "1990-12-10");
  visit.patient.number = "P-0017";
  store->AddVisit(visit, "tok_staff");
  auto found = store->FindVisit(visit.id);
  REQUIRE(found);
  CHECK(found->id == visit.id);
  CHECK(found->created_at == visit.created_at);
  CHECK(found->created_by == "tok_staff");
  CHECK(found->patient.name == "Ada Lovelace");
  CHECK(found->patient.date_of_birth == "1990-12-10");
  CHECK(found->patient.number == "P-0017");
  CHECK(found->form_ids == visit.form_ids);
  CHECK_FALSE(store->FindVisit(VisitId(2)));
  CHECK_THROWS_WITH_AS(store->AddVisit(visit, "tok_staff"),
                       doctest::Contains(("creating visit " + visit.id).c_str()), StoreError);
  std::vector<AuditEvent> events = VerifiedChain(*store);
  REQUIRE(events.size() == 1);  // the refused second one wrote nothing
  CHECK(events[0].action == "visit.created");
  CHECK(events[0].object == visit.id);
  CHECK(events[0].detail == "forms=microneedling-intake,microneedling-consent");
}

TEST_CASE("visits list newest first across pages, and a bad cursor is refused") {
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  // Ids out of time order; two share a time, on either side of a page
  // boundary: the id breaks the tie.
  const std::pair<int, const char*> visits[] = {
      {30, "2026-11-01T09:00:00Z"}, {70, "2026-11-02T09:00:00Z"}, {10, "2026-11-03T09:00:00Z"},
      {60, "2026-11-04T09:00:00Z"}, {20, "2026-11-04T09:00:00Z"}, {50, "2026-11-05T09:00:00Z"},
      {40, "2026-11-06T09:00:00Z"}};
  for (const auto& [n, at] : visits) {
    store->AddVisit(MakeVisit(VisitId(n), at, "P", "2000-01-01"), "tok_staff");
  }
  VisitQuery query;
  query.limit = 3;
  std::vector<std::string> seen;
  std::vector<std::size_t> sizes;
  for (int page_no = 0; page_no < 5; ++page_no) {
    Page<Visit> page = store->ListVisits(query);
    sizes.push_back(page.items.size());
    for (const Visit& v : page.items) seen.push_back(v.id);
    if (page_no == 0) {  // a newer visit arriving meanwhile does not shift later pages
      store->AddVisit(MakeVisit(VisitId(9), "2026-11-07T09:00:00Z", "P", "2000-01-01"), "t");
    }
    if (page.next.empty()) break;
    query.after = page.next;
  }
  CHECK(sizes == std::vector<std::size_t>{3, 3, 1});
  CHECK(seen == std::vector<std::string>{VisitId(40), VisitId(50), VisitId(60), VisitId(20),
                                         VisitId(10), VisitId(70), VisitId(30)});
  VisitQuery range;
  range.from = "2026-11-02T09:00:00Z";
  range.to = "2026-11-04T09:00:00Z";
  CHECK(Ids(store->ListVisits(range).items) == std::vector<std::string>{VisitId(10), VisitId(70)});
  for (const char* bad : {"garbage", "2026-11-03T09:00:00Z|", "not a time|vis_1", "|vis_1"}) {
    VisitQuery q;
    q.after = bad;
    CHECK_THROWS_WITH_AS(store->ListVisits(q),
                         doctest::Contains((std::string("cursor \"") + bad + "\"").c_str()),
                         std::invalid_argument);
  }
}

TEST_CASE("a listing's limit is clamped to 1..200") {
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path(), SqliteOptions{false});
  for (int i = 0; i < 205; ++i) {
    store->AddVisit(MakeVisit(VisitId(i), "2026-11-01T09:00:00Z", "P", "2000-01-01"), "t");
  }
  VisitQuery query;
  query.limit = 1000;
  Page<Visit> big = store->ListVisits(query);
  CHECK(big.items.size() == 200);
  CHECK_FALSE(big.next.empty());
  for (int tiny : {0, -5}) {
    query.limit = tiny;
    Page<Visit> page = store->ListVisits(query);
    CHECK(page.items.size() == 1);
    CHECK_FALSE(page.next.empty());
  }
  SubmissionQuery none;
  none.limit = 0;
  CHECK(store->ListSubmissions(none).items.empty());
}

// Two visits and four submissions against two forms, one reviewed.
struct ListingFixture {
  test::TempDir dir;
  FormPtr consent = Consent();
  FormPtr intake = LoadFormFile(test::SourcePath("forms/microneedling-intake.xml")).form;
  std::unique_ptr<Store> store = OpenSqliteStore(dir.path());

  ListingFixture() {
    REQUIRE(intake);
    store->AddVisit(MakeVisit(VisitId(1), "2026-11-01T08:00:00Z", "Ada Lovelace", "1990-12-10"),
                    "t");
    store->AddVisit(MakeVisit(VisitId(2), "2026-11-01T08:00:00Z", "Grace HOPPER", "1985-01-02"),
                    "t");
    // Ada's earlier visit: a visit's form is filled once, so her second
    // consent belongs to her second visit.
    store->AddVisit(MakeVisit(VisitId(3), "2026-10-01T08:00:00Z", "Ada Lovelace", "1990-12-10"),
                    "t");
    Put(*consent, "s1", "2026-11-01T09:00:00Z", Outcome::kSuitable, VisitId(3), false);
    Put(*consent, "s2", "2026-11-02T09:00:00Z", Outcome::kPractitionerReview, VisitId(1), true);
    Put(*intake, "s3", "2026-11-03T09:00:00Z", Outcome::kDefer, VisitId(2), true);
    Put(*intake, "s4", "2026-11-04T09:00:00Z", Outcome::kSuitable, "", false);
    REQUIRE(store->PutReview(MakeReview("s3", "defer"), "countersigned s3", "tok_prac"));
  }
  void Put(const FormDefinition& form, const std::string& id, const std::string& at,
           Outcome outcome, const std::string& visit_id, bool needs_review) {
    SubmissionRecord r = RecordAt(form, id, at, outcome);
    r.visit_id = visit_id;
    r.needs_review = needs_review;
    REQUIRE(store->Put(r, "pdf of " + id, form, "tok_tablet").status == PutStatus::kStored);
  }
  std::vector<std::string> List(const SubmissionQuery& query) {
    return Ids(store->ListSubmissions(query).items);
  }
};

using IdList = std::vector<std::string>;

TEST_CASE("submission listings filter by form, outcome and received time") {
  ListingFixture f;
  SubmissionQuery q;
  CHECK(f.List(q) == IdList{"s4", "s3", "s2", "s1"});
  q.form_id = f.intake->id;
  CHECK(f.List(q) == IdList{"s4", "s3"});
  q.outcome = Outcome::kSuitable;
  CHECK(f.List(q) == IdList{"s4"});
  q = {};
  q.outcome = Outcome::kPractitionerReview;
  CHECK(f.List(q) == IdList{"s2"});
  q = {};
  q.from = "2026-11-02T09:00:00Z";  // inclusive
  q.to = "2026-11-04T09:00:00Z";    // exclusive
  CHECK(f.List(q) == IdList{"s3", "s2"});
}

TEST_CASE("submission listings filter by review: reviewed, or waiting in the queue") {
  ListingFixture f;
  SubmissionQuery q;
  q.reviewed = true;
  Page<SubmissionRecord> reviewed = f.store->ListSubmissions(q);
  REQUIRE(Ids(reviewed.items) == IdList{"s3"});
  REQUIRE(reviewed.items[0].review);
  CHECK(reviewed.items[0].review->decision == "defer");
  q.reviewed = false;  // needs review and not yet reviewed; s1 and s4 never needed it
  Page<SubmissionRecord> queue = f.store->ListSubmissions(q);
  REQUIRE(Ids(queue.items) == IdList{"s2"});
  CHECK(queue.items[0].needs_review);
  CHECK_FALSE(queue.items[0].review);
}

TEST_CASE("submission listings filter by visit, and by patient name in any case or birth date") {
  ListingFixture f;
  SubmissionQuery q;
  q.visit_id = VisitId(1);
  CHECK(f.List(q) == IdList{"s2"});
  q = {};
  q.patient = "lovelace";
  CHECK(f.List(q) == IdList{"s2", "s1"});
  q.patient = "gRACE hop";
  CHECK(f.List(q) == IdList{"s3"});
  q.patient = "1985-01-02";
  CHECK(f.List(q) == IdList{"s3"});
  q.patient = "1985-01";  // a date of birth must match whole
  CHECK(f.List(q).empty());
  // LIKE's wildcards are plain characters in a search.
  for (const char* wild : {"%", "_", "A_a", "\\"}) {
    q.patient = wild;
    CHECK(f.List(q).empty());
  }
  VisitQuery visits;
  visits.patient = "ada";
  CHECK(Ids(f.store->ListVisits(visits).items) == IdList{VisitId(1), VisitId(3)});
  visits.patient = "1985-01-02";
  CHECK(Ids(f.store->ListVisits(visits).items) == IdList{VisitId(2)});
}

TEST_CASE("a patient search ignores accents and case in any script") {
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  const char* names[] = {"Zoë Muñoz", "Nguyễn Thị Ánh", "Ελένη Παπαδοπούλου", "Łukasz Żółć"};
  for (int i = 0; i < 4; ++i) {
    store->AddVisit(MakeVisit(VisitId(i + 1), "2026-11-01T08:00:00Z", names[i], "1990-12-10"),
                    "tok_staff");
  }
  auto find = [&](const std::string& text) {
    VisitQuery q;
    q.patient = text;
    return Ids(store->ListVisits(q).items);
  };
  CHECK(find("zoe munoz") == IdList{VisitId(1)});
  CHECK(find("MUÑOZ") == IdList{VisitId(1)});
  CHECK(find("nguyen thi anh") == IdList{VisitId(2)});
  CHECK(find("ελενη") == IdList{VisitId(3)});
  CHECK(find("lukasz zolc") == IdList{VisitId(4)});
  CHECK(find("Ada").empty());
  CHECK(NameKey("Zoë MUÑOZ") == "zoe munoz");
}

TEST_CASE("visits stored before the search key existed get theirs on upgrade") {
  test::TempDir dir;
  OpenSqliteStore(dir.path())
      ->AddVisit(MakeVisit(VisitId(1), "2026-11-01T08:00:00Z", "Zoë Muñoz", "1990-12-10"),
                 "tok_staff");
  {
    // As migration 6 left it: no patient_key column.
    auto session = Inspect(dir);
    session << "ALTER TABLE visits DROP COLUMN patient_key", now;
    session << "DROP TABLE checkpoints", now;
    session << "PRAGMA user_version=6", now;
  }
  auto store = OpenSqliteStore(dir.path());
  VisitQuery q;
  q.patient = "zoe munoz";
  CHECK(Ids(store->ListVisits(q).items) == IdList{VisitId(1)});
}

TEST_CASE("a visit's form is stored once, whichever device sends it first") {
  ListingFixture f;
  SubmissionRecord again = RecordAt(*f.consent, "s9", "2026-11-05T09:00:00Z", Outcome::kSuitable);
  again.visit_id = VisitId(1);  // s2 filled it already
  PutResult put = f.store->Put(again, "pdf of s9", *f.consent, "tok_tablet");
  CHECK(put.status == PutStatus::kVisitFilled);
  CHECK(put.record.id == "s2");
  CHECK_FALSE(f.store->Find("s9"));
  again.visit_id = "";  // standalone submissions are not limited
  CHECK(f.store->Put(again, "pdf of s9", *f.consent, "tok_tablet").status == PutStatus::kStored);
}

TEST_CASE("submission listings page newest first with their filters, and refuse a bad cursor") {
  ListingFixture f;
  SubmissionQuery q;
  q.limit = 1;
  q.patient = "a";  // s1, s2, s3: both patients' names have an "a"
  IdList seen;
  for (int i = 0; i < 5; ++i) {
    Page<SubmissionRecord> page = f.store->ListSubmissions(q);
    for (const SubmissionRecord& r : page.items) seen.push_back(r.id);
    if (page.next.empty()) break;
    q.after = page.next;
  }
  CHECK(seen == IdList{"s3", "s2", "s1"});
  q.after = "2026-11-02T09:00:00Z\n|s2";
  CHECK_THROWS_WITH_AS(f.store->ListSubmissions(q), doctest::Contains("cursor \"(unprintable)\""),
                       std::invalid_argument);
}

TEST_CASE("a submission keeps its visit and review flag, and its stored event names the visit") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  SubmissionRecord record = Record(*form, "id-1", "{}");
  record.visit_id = VisitId(1);
  record.needs_review = true;
  record.review = MakeReview("id-1", "proceed");  // Put ignores it
  PutResult put = store->Put(record, Pdf(), *form, "tok_tablet");
  CHECK_FALSE(put.record.review);
  auto found = store->Find("id-1");
  REQUIRE(found);
  CHECK(found->visit_id == VisitId(1));
  CHECK(found->needs_review);
  CHECK_FALSE(found->review);
  CHECK(Ids(store->SubmissionsOfVisit(VisitId(1))) == IdList{"id-1"});
  CHECK(store->SubmissionsOfVisit(VisitId(2)).empty());
  std::vector<AuditEvent> events = VerifiedChain(*store);
  REQUIRE(events.size() == 1);
  CHECK(events[0].detail == "pdf_sha256=pdfhash;content_sha256=hash-of-{};visit=" + VisitId(1) +
                                ";record_sha256=" + RecordHash(record));
  // The record as read back hashes as it was put: the review is not in it.
  CHECK(RecordHash(*found) == RecordHash(record));
}

TEST_CASE("a visit's submissions come oldest first, with their reviews") {
  ListingFixture f;
  f.Put(*f.consent, "s0", "2026-10-31T09:00:00Z", Outcome::kSuitable, VisitId(2), false);
  std::vector<SubmissionRecord> of_visit = f.store->SubmissionsOfVisit(VisitId(2));
  REQUIRE(Ids(of_visit) == IdList{"s0", "s3"});
  CHECK_FALSE(of_visit[0].review);
  REQUIRE(of_visit[1].review);
  CHECK(of_visit[1].review->pdf_sha256 == "countersigned-hash-defer");
}

TEST_CASE("a review is stored once, and its countersigned PDF is what reads then return") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  SubmissionRecord record = Record(*form, "id-1", "{}");
  record.needs_review = true;
  REQUIRE(store->Put(record, Pdf(), *form, "tok_tablet").status == PutStatus::kStored);
  Review review = MakeReview("id-1", "proceed");
  CHECK(store->PutReview(review, "countersigned", "tok_prac"));
  auto found = store->Find("id-1");
  REQUIRE(found);
  REQUIRE(found->review);
  CHECK(found->review->submission_id == "id-1");
  CHECK(found->review->decision == "proceed");
  CHECK(found->review->note == review.note);
  CHECK(found->review->practitioner == "tok_prac");
  CHECK(found->review->practitioner_name == "Dr. Quinn");
  CHECK(found->review->reviewed_at == review.reviewed_at);
  CHECK(found->review->pdf_sha256 == "countersigned-hash-proceed");
  CHECK(found->pdf_sha256 == "pdfhash");  // the original's, as first stored
  CHECK(store->FindPdf("id-1") == "countersigned");
  int streamed = 0;
  store->ForEachSubmission("", "", [&](const SubmissionRecord& r, const std::string& pdf) {
    CHECK(r.review);
    CHECK(pdf == "countersigned");
    ++streamed;
  });
  CHECK(streamed == 1);
  std::int64_t seq = store->LastAuditSeq();
  // Reviewed already, or no such submission: nothing stored, nothing audited.
  CHECK_FALSE(store->PutReview(MakeReview("id-1", "decline"), "other", "tok_prac"));
  CHECK_FALSE(store->PutReview(MakeReview("id-none", "proceed"), "other", "tok_prac"));
  CHECK(store->LastAuditSeq() == seq);
  CHECK(store->Find("id-1")->review->decision == "proceed");
  CHECK(store->FindPdf("id-1") == "countersigned");
  CHECK(RowsOf(dir, "reviews") == 1);
  // The sealed original is kept as it was.
  auto session = Inspect(dir);
  Poco::Data::BLOB original;
  session << "SELECT pdf FROM submissions WHERE id = 'id-1'", into(original), now;
  CHECK(std::string(reinterpret_cast<const char*>(original.rawContent()), original.size()) ==
        Pdf());
}

TEST_CASE("an invite is stored, listed with its visit, and revoked once") {
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  store->AddInvite(MakeInvite("inv_2", VisitId(1), "2026-11-23T09:05:00Z"), "tok_staff");
  store->AddInvite(MakeInvite("inv_1", VisitId(1), "2026-11-23T09:00:00Z"), "tok_staff");
  store->AddInvite(MakeInvite("inv_3", VisitId(2), "2026-11-23T09:00:00Z"), "tok_staff");
  auto found = store->FindInvite("inv_1");
  REQUIRE(found);
  CHECK(found->visit_id == VisitId(1));
  CHECK(found->secret_sha256 == "secret-hash-inv_1");
  CHECK(found->created_at == "2026-11-23T09:00:00Z");
  CHECK(found->created_by == "tok_staff");
  CHECK(found->expires_at == "2026-11-24T09:00:00Z");
  CHECK(found->revoked_at.empty());
  CHECK_FALSE(store->FindInvite("inv_none"));
  CHECK(Ids(store->InvitesOfVisit(VisitId(1))) == IdList{"inv_1", "inv_2"});
  CHECK(store->RevokeInvite("inv_1", "tok_staff"));
  std::string revoked_at = store->FindInvite("inv_1")->revoked_at;
  CHECK(revoked_at.size() == 20);
  std::int64_t seq = store->LastAuditSeq();
  CHECK_FALSE(store->RevokeInvite("inv_1", "tok_staff"));  // already: nothing written
  CHECK_FALSE(store->RevokeInvite("inv_none", "tok_staff"));
  CHECK(store->LastAuditSeq() == seq);
  CHECK(store->FindInvite("inv_1")->revoked_at == revoked_at);
  CHECK(store->FindInvite("inv_2")->revoked_at.empty());
}

TEST_CASE("a tablet's hand-off is set, replaced and cleared") {
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  CHECK_FALSE(store->FindHandoff("tok_tablet"));
  store->SetHandoff("tok_tablet", VisitId(1), "tok_staff");
  store->SetHandoff("tok_other", VisitId(3), "tok_staff");
  CHECK(store->FindHandoff("tok_tablet") == VisitId(1));
  store->SetHandoff("tok_tablet", VisitId(2), "tok_staff");  // replaces the first
  CHECK(store->FindHandoff("tok_tablet") == VisitId(2));
  CHECK(RowsOf(dir, "handoffs") == 2);
  CHECK_FALSE(store->ClearHandoff("tok_tablet", VisitId(1), "tok_staff"));  // shows another
  CHECK(store->FindHandoff("tok_tablet") == VisitId(2));
  CHECK(store->ClearHandoff("tok_tablet", VisitId(2), "tok_staff"));
  CHECK_FALSE(store->FindHandoff("tok_tablet"));
  CHECK(store->FindHandoff("tok_other") == VisitId(3));
  std::int64_t seq = store->LastAuditSeq();
  CHECK_FALSE(store->ClearHandoff("tok_tablet", "", "tok_staff"));  // nothing to clear: no event
  CHECK(store->LastAuditSeq() == seq);
}

TEST_CASE("a witness step is unlocked once, locked again, and each change is audited") {
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  CHECK(store->WitnessUnlocksOfVisit(VisitId(1)).empty());
  WitnessUnlock first{VisitId(1), "consent", "tok_staff", "Front desk", "2026-11-23T10:00:00Z"};
  CHECK(store->UnlockWitness(first, "tok_staff").unlocked_by_name == "Front desk");
  std::int64_t seq = store->LastAuditSeq();
  WitnessUnlock again{VisitId(1), "consent", "tok_other", "Dr Ruiz", "2026-11-23T10:05:00Z"};
  CHECK(store->UnlockWitness(again, "tok_other").unlocked_by == "tok_staff");  // the first stays
  CHECK(store->LastAuditSeq() == seq);
  store->UnlockWitness({VisitId(1), "intake", "tok_staff", "Front desk", "2026-11-23T10:06:00Z"},
                       "tok_staff");
  store->UnlockWitness({VisitId(2), "consent", "tok_staff", "Front desk", "2026-11-23T10:07:00Z"},
                       "tok_staff");
  std::vector<WitnessUnlock> unlocks = store->WitnessUnlocksOfVisit(VisitId(1));
  REQUIRE(unlocks.size() == 2);
  CHECK(unlocks[0].form_id == "consent");
  CHECK(unlocks[0].unlocked_at == "2026-11-23T10:00:00Z");
  CHECK(unlocks[1].form_id == "intake");
  CHECK(store->LockWitness(VisitId(1), "consent", "tok_staff"));
  CHECK_FALSE(store->LockWitness(VisitId(1), "consent", "tok_staff"));
  CHECK(store->WitnessUnlocksOfVisit(VisitId(1)).size() == 1);
  std::vector<std::string> actions;
  store->ForEachAuditEvent(1, 0, [&](const AuditEvent& e) {
    if (e.action.rfind("witness.", 0) == 0) actions.push_back(e.action + " " + e.detail);
  });
  CHECK(actions ==
        std::vector<std::string>{"witness.unlocked form=consent", "witness.unlocked form=intake",
                                 "witness.unlocked form=consent", "witness.locked form=consent"});
}

TEST_CASE("every new kind of change writes its audit event, and the chain still verifies") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  store->AddVisit(MakeVisit(VisitId(1), "2026-11-23T09:00:00Z", "Ada", "1990-12-10"), "tok_staff");
  SubmissionRecord record = Record(*form, "id-1", "{}");
  record.visit_id = VisitId(1);
  store->Put(record, Pdf(), *form, "tok_tablet");
  REQUIRE(store->PutReview(MakeReview("id-1", "proceed"), "countersigned", "tok_prac"));
  Invite invite = MakeInvite("inv_1", VisitId(1), "2026-11-23T09:00:00Z");
  store->AddInvite(invite, "tok_staff");
  REQUIRE(store->RevokeInvite("inv_1", "tok_staff"));
  store->SetHandoff("tok_tablet", VisitId(1), "tok_staff");
  store->ClearHandoff("tok_tablet", "", "tok_staff2");
  std::vector<AuditEvent> events = VerifiedChain(*store);
  struct Expected {
    std::string actor, action, object, detail;
  };
  std::vector<Expected> expected = {
      {"tok_staff", "visit.created", VisitId(1),
       "forms=microneedling-intake,microneedling-consent"},
      {"tok_tablet", "submission.stored", "id-1",
       "pdf_sha256=pdfhash;content_sha256=hash-of-{};visit=" + VisitId(1) +
           ";record_sha256=" + RecordHash(record)},
      {"tok_prac", "submission.reviewed", "id-1",
       "decision=proceed;pdf_sha256=countersigned-hash-proceed"},
      {"tok_staff", "invite.created", "inv_1",
       "visit=" + VisitId(1) + ";secret_sha256=" + invite.secret_sha256 +
           ";created_at=2026-11-23T09:00:00Z;expires_at=2026-11-24T09:00:00Z"},
      {"tok_staff", "invite.revoked", "inv_1",
       "revoked_at=" + store->FindInvite("inv_1")->revoked_at},
      {"tok_staff", "kiosk.handoff", "tok_tablet", "visit=" + VisitId(1)},
      {"tok_staff2", "kiosk.cleared", "tok_tablet", "visit=" + VisitId(1)},
  };
  REQUIRE(events.size() == expected.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    CAPTURE(i);
    CHECK(events[i].actor == expected[i].actor);
    CHECK(events[i].action == expected[i].action);
    CHECK(events[i].object == expected[i].object);
    CHECK(events[i].detail == expected[i].detail);
  }
}

TEST_CASE("reviews, visits and hand-offs share one unbroken chain with group-committed puts") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path(), SqliteOptions{false});
  constexpr int kPutters = 4, kEach = 20;
  std::vector<std::thread> threads;
  for (int t = 0; t < kPutters; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string id = "id-" + std::to_string(t) + "-" + std::to_string(i);
        store->Put(Record(*form, id, "{}"), Pdf(), *form, "t");
      }
    });
  }
  std::atomic<int> reviewed{0};
  threads.emplace_back([&] {  // reviews whatever is stored, while puts go on
    for (int i = 0; i < kEach; ++i) {
      if (store->PutReview(MakeReview("id-0-" + std::to_string(i), "proceed"), "c", "p")) {
        reviewed++;
      }
    }
  });
  threads.emplace_back([&] {
    for (int i = 0; i < kEach; ++i) {
      store->AddVisit(MakeVisit(VisitId(i), "2026-11-23T09:00:00Z", "P", "2000-01-01"), "s");
      store->SetHandoff("tok_tablet", VisitId(i), "s");
    }
  });
  for (auto& thread : threads) thread.join();
  std::vector<AuditEvent> events = VerifiedChain(*store);
  CHECK(events.size() == static_cast<std::size_t>(kPutters * kEach + 2 * kEach + reviewed));
  CHECK(RowsOf(dir, "reviews") == reviewed);
}

TEST_CASE("a database of schema version 3 is upgraded in place, its rows intact") {
  test::TempDir dir;
  FormPtr form = Consent();
  {
    // The schema exactly as consentkit left it after migration 3, with one
    // submission stored then.
    auto session = Inspect(dir);
    session << R"sql(
CREATE TABLE definitions (form_id TEXT NOT NULL, version TEXT NOT NULL, sha256 TEXT NOT NULL,
  xml BLOB NOT NULL, first_used_at TEXT NOT NULL, PRIMARY KEY (form_id, version));
CREATE TABLE submissions (id TEXT PRIMARY KEY, form_id TEXT NOT NULL,
  form_version TEXT NOT NULL, form_sha256 TEXT NOT NULL, language TEXT NOT NULL,
  received_at TEXT NOT NULL, outcome TEXT NOT NULL, reasons TEXT NOT NULL,
  content_json TEXT NOT NULL, content_sha256 TEXT NOT NULL, pdf BLOB NOT NULL,
  pdf_sha256 TEXT NOT NULL,
  FOREIGN KEY (form_id, form_version) REFERENCES definitions (form_id, version));
CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, object TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE INDEX audit_by_time ON audit (at);
CREATE TABLE tokens (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT NOT NULL DEFAULT '');
CREATE INDEX submissions_by_time ON submissions (received_at, id);
PRAGMA user_version=3;
)sql",
        now;
    session << "INSERT INTO definitions VALUES (?, ?, ?, 'xml', '2026-01-01T00:00:00Z')",
        Poco::Data::Keywords::bind(form->id), Poco::Data::Keywords::bind(form->version),
        Poco::Data::Keywords::bind(form->sha256_hex), now;
    session << "INSERT INTO submissions VALUES ('old-1', ?, ?, 'sha', 'en', "
               "'2026-01-02T00:00:00Z', 'suitable', '', '{}', 'csha', 'old pdf', 'psha')",
        Poco::Data::Keywords::bind(form->id), Poco::Data::Keywords::bind(form->version), now;
  }
  auto store = OpenSqliteStore(dir.path());
  {
    auto session = Inspect(dir);
    int version = 0;
    session << "PRAGMA user_version", into(version), now;
    CHECK(version == 8);
  }
  auto old = store->Find("old-1");
  REQUIRE(old);
  CHECK(old->visit_id.empty());
  CHECK_FALSE(old->needs_review);
  CHECK_FALSE(old->review);
  CHECK(store->FindPdf("old-1") == "old pdf");
  SubmissionQuery all;
  CHECK(Ids(store->ListSubmissions(all).items) == IdList{"old-1"});
  CHECK(store->PutReview(MakeReview("old-1", "proceed"), "countersigned", "tok_prac"));
  CHECK(store->FindPdf("old-1") == "countersigned");
  store->AddVisit(MakeVisit(VisitId(1), "2026-11-23T09:00:00Z", "Ada", "1990-12-10"), "s");
  CHECK(store->FindVisit(VisitId(1)));
}

TEST_CASE("practitioner is a role, by name and in stored tokens") {
  for (Role role : {Role::kTablet, Role::kStaff, Role::kPractitioner, Role::kCompliance}) {
    CHECK(ParseRole(ToString(role)) == role);
  }
  CHECK(std::string(ToString(Role::kPractitioner)) == "practitioner");
  CHECK_FALSE(ParseRole("doctor"));
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  store->AddToken(StoredToken("tok_prac", Role::kPractitioner), "cli");
  CHECK(store->FindToken("tok_prac")->role == Role::kPractitioner);
}

std::set<std::string> FolderListing(const test::TempDir& dir) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

TEST_CASE("a read-only open reads a closed database and leaves its folder as it was") {
  test::TempDir dir;
  FormPtr form = Consent();
  {
    auto store = OpenSqliteStore(dir.path());
    REQUIRE(store->Put(Record(*form, "id-1", "{}"), Pdf(), *form, "t").status ==
            PutStatus::kStored);
  }
  std::set<std::string> before = FolderListing(dir);
  REQUIRE(before == std::set<std::string>{"consentkit.db"});  // SQLite removed -wal and -shm
  std::string bytes = ReadFile(dir.path() + "/consentkit.db");

  auto store = OpenSqliteStore(dir.path(), SqliteOptions{true, true});
  CHECK(store->Find("id-1"));
  CHECK(store->FindPdf("id-1") == Pdf());
  CHECK(store->SubmissionIds() == std::vector<std::string>{"id-1"});
  CHECK(store->LastAuditSeq() == 1);
  CHECK_THROWS_AS(store->RecordEvent("t", "test.event", ""), StoreError);
  CHECK_THROWS_AS(store->Put(Record(*form, "id-2", "{}"), Pdf(), *form, "t"), StoreError);
  store.reset();
  CHECK(FolderListing(dir) == before);
  CHECK(ReadFile(dir.path() + "/consentkit.db") == bytes);
}

TEST_CASE("a read-only open reads the last commits of a database another connection holds") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto server = OpenSqliteStore(dir.path());  // stays open: its commits sit in the -wal
  REQUIRE(server->Put(Record(*form, "id-1", "{}"), Pdf(), *form, "t").status == PutStatus::kStored);
  auto reader = OpenSqliteStore(dir.path(), SqliteOptions{true, true});
  CHECK(reader->Find("id-1"));
  CHECK(reader->LastAuditSeq() == 1);
}

TEST_CASE("a read-only open refuses what it cannot read as it is") {
  test::TempDir dir;
  CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path(), SqliteOptions{true, true}),
                       doctest::Contains("consentkit.db: no database to read"), StoreError);
  CHECK(FolderListing(dir).empty());  // nothing was created

  OpenSqliteStore(dir.path());
  Inspect(dir) << "PRAGMA user_version=6", now;
  CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path(), SqliteOptions{true, true}),
                       doctest::Contains("schema version 6, expected 8: read-only"), StoreError);
}

TEST_CASE("checkpoints are kept in seq order, once per seq") {
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  CHECK_FALSE(store->LatestCheckpoint());
  store->AddCheckpoint({0, kGenesisHash, "2026-11-23T09:00:00Z", "sig-0"});
  store->AddCheckpoint({5, "hash-5", "2026-11-23T09:05:00Z", "sig-5"});
  store->AddCheckpoint({3, "hash-3", "2026-11-23T09:03:00Z", "sig-3"});
  store->AddCheckpoint({5, "other", "2026-11-23T09:06:00Z", "other"});  // ignored
  REQUIRE(store->LatestCheckpoint());
  CHECK(store->LatestCheckpoint()->seq == 5);
  CHECK(store->LatestCheckpoint()->last_hash == "hash-5");
  CHECK(store->LatestCheckpoint()->signature == "sig-5");
  std::vector<std::int64_t> seqs;
  store->ForEachCheckpoint([&](const Checkpoint& c) { seqs.push_back(c.seq); });
  CHECK(seqs == std::vector<std::int64_t>{0, 3, 5});
  CHECK(CanonicalCheckpoint({5, "hash-5", "2026-11-23T09:05:00Z", "sig-5"}) ==
        "consentkit-checkpoint/1\nseq=5\nlast_hash=hash-5\nat=2026-11-23T09:05:00Z\n");
}

TEST_CASE("the integrity check is empty for a sound database and names a damaged one's pages") {
  test::TempDir dir;
  FormPtr form = Consent();
  {
    auto store = OpenSqliteStore(dir.path());
    for (int i = 0; i < 40; ++i) {
      std::string id = "id-" + std::to_string(i);
      REQUIRE(store->Put(Record(*form, id, "{}"), std::string(3000, 'p'), *form, "t").status ==
              PutStatus::kStored);
    }
    CHECK(store->CheckIntegrity(10).empty());
  }
  // Overwrite the middle of the file, well past the schema page.
  std::string path = dir.path() + "/consentkit.db";
  std::string bytes = ReadFile(path);
  REQUIRE(bytes.size() > 40 * 4096);
  bytes.replace(bytes.size() / 2, 8192, std::string(8192, '\x5a'));
  WriteFileAtomically(path, bytes);
  auto store = OpenSqliteStore(dir.path(), SqliteOptions{true, true});
  std::vector<std::string> problems = store->CheckIntegrity(5);
  CHECK_FALSE(problems.empty());
  CHECK(problems.size() <= 5);
}

TEST_CASE("every invite is listed, revoked ones too") {
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  store->AddInvite(MakeInvite("inv_2", VisitId(1), "2026-11-23T09:05:00Z"), "tok_staff");
  store->AddInvite(MakeInvite("inv_1", VisitId(2), "2026-11-23T09:00:00Z"), "tok_staff");
  REQUIRE(store->RevokeInvite("inv_2", "tok_staff"));
  std::vector<Invite> all = store->Invites();
  REQUIRE(all.size() == 2);
  CHECK(all[0].id == "inv_1");
  CHECK(all[1].id == "inv_2");
  CHECK_FALSE(all[1].revoked_at.empty());
}

// --- The database file under the store: removed, replaced, truncated, lost.

// A message check on text made at run time (doctest copies it).
doctest::Contains Has(const std::string& text) { return doctest::Contains(text.c_str()); }

SqliteOptions Guarded(bool new_database = false) {
  SqliteOptions options;
  options.guard_with_marker = true;
  options.new_database = new_database;
  options.quick_check = true;
  return options;
}

void RemoveDatabaseFiles(const test::TempDir& dir) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(dir.File(std::string("consentkit.db") + suffix));
  }
}

PutStatus PutOne(Store& store, const FormDefinition& form, const std::string& id) {
  return store.Put(Record(form, id, "{\"n\":\"" + id + "\"}"), Pdf(), form, "t").status;
}

TEST_CASE("a commit into a removed database is refused, and the store stays refusing") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  REQUIRE(PutOne(*store, *form, "id-1") == PutStatus::kStored);
  RemoveDatabaseFiles(dir);
  CHECK_THROWS_WITH_AS(PutOne(*store, *form, "id-2"),
                       Has("consentkit.db was removed or replaced while in use (it is gone)"),
                       StoreUnavailable);
  // A file back at the path is not the one this store writes to.
  test::TempDir other;
  OpenSqliteStore(other.path());
  std::filesystem::copy_file(other.File("consentkit.db"), dir.File("consentkit.db"));
  CHECK_THROWS_AS(store->RecordEvent("cli", "test.event", ""), StoreUnavailable);
  CHECK_THROWS_AS(store->Find("id-1"), StoreUnavailable);
  CHECK_THROWS_AS(PutOne(*store, *form, "id-3"), StoreUnavailable);
}

TEST_CASE("a database replaced while open is noticed before the commit is reported") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  REQUIRE(PutOne(*store, *form, "id-1") == PutStatus::kStored);
  std::filesystem::copy_file(dir.File("consentkit.db"), dir.File("copy.db"));
  std::filesystem::rename(dir.File("copy.db"), dir.File("consentkit.db"));
  CHECK_THROWS_WITH_AS(PutOne(*store, *form, "id-2"),
                       Has("was removed or replaced while in use (another file is at its path)"),
                       StoreUnavailable);
}

TEST_CASE("a write-ahead log removed under the store is noticed before a commit is reported") {
  // Commits land in the WAL first: with only it deleted, SQLite would go on
  // appending to the unlinked file, fsyncs succeeding, and a restart would
  // never see those acknowledged records.
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  REQUIRE(PutOne(*store, *form, "id-1") == PutStatus::kStored);
  REQUIRE(std::filesystem::remove(dir.File("consentkit.db-wal")));
  CHECK_THROWS_WITH_AS(PutOne(*store, *form, "id-2"),
                       Has("consentkit.db-wal was removed or replaced while in use"),
                       StoreUnavailable);
  CHECK_THROWS_AS(store->Find("id-1"), StoreUnavailable);
}

TEST_CASE("a WAL index truncated under the store is refused, not touched (no SIGBUS)") {
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path());
  REQUIRE(PutOne(*store, *form, "id-1") == PutStatus::kStored);
  std::filesystem::resize_file(dir.File("consentkit.db-shm"), 0);
  CHECK_THROWS_WITH_AS(PutOne(*store, *form, "id-2"),
                       Has("consentkit.db-shm was truncated from 32768 to 0 bytes"),
                       StoreUnavailable);
  CHECK_THROWS_AS(store->FindToken("tok_x"), StoreUnavailable);
}

TEST_CASE("a WAL index that cannot be written is refused at open, naming it") {
  test::TempDir dir;
  OpenSqliteStore(dir.path());
  Poco::Data::Session keep = Inspect(dir);
  keep << "PRAGMA journal_mode=WAL", now;
  keep << "SELECT COUNT(*) FROM audit", now;
  REQUIRE(std::filesystem::exists(dir.File("consentkit.db-shm")));
  std::string shm = test::ShellQuote(dir.File("consentkit.db-shm"));
  if (test::Run("chattr +i " + shm).exit_code != 0) {
    MESSAGE("chattr +i is not available here: the unwritable WAL index case is not exercised");
    return;
  }
  CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path()),
                       Has("consentkit.db-shm: the database's WAL index is not "
                           "writable: Operation not permitted"),
                       StoreError);
  test::Run("chattr -i " + shm);
}

TEST_CASE("a guarded store marks its head at open, at each checkpoint and at close") {
  test::TempDir dir;
  FormPtr form = Consent();
  std::string marker_path = dir.File("consentkit.marker");
  {
    auto store = OpenSqliteStore(dir.path(), Guarded());
    std::optional<DatabaseMarker> at_open = ReadMarker(marker_path);
    REQUIRE(at_open);
    CHECK(at_open->seq == 0);
    CHECK(at_open->origin.empty());
    REQUIRE(PutOne(*store, *form, "id-1") == PutStatus::kStored);
    REQUIRE(PutOne(*store, *form, "id-2") == PutStatus::kStored);
    CHECK(ReadMarker(marker_path)->seq == 0);  // no fsync of the marker per submission
    store->AddCheckpoint({2, "h", "2026-11-23T10:00:00Z", "sig"});
    CHECK(ReadMarker(marker_path)->seq == 2);
    store->RecordEvent("cli", "test.event", "");
  }
  std::optional<DatabaseMarker> at_close = ReadMarker(marker_path);
  REQUIRE(at_close);
  CHECK(at_close->seq == 3);
  auto store = OpenSqliteStore(dir.path(), SqliteOptions{true, true});
  store->ForEachAuditEvent(1, 1, [&](const AuditEvent& e) { CHECK(e.hash == at_close->origin); });
  store->ForEachAuditEvent(3, 3, [&](const AuditEvent& e) { CHECK(e.hash == at_close->hash); });
}

TEST_CASE("a database lost before its marker named any event is still refused") {
  // A new install: the marker says "empty chain"; submissions come, and the
  // database is deleted before the next marker write. Nothing may start
  // over silently.
  test::TempDir dir;
  FormPtr form = Consent();
  auto store = OpenSqliteStore(dir.path(), Guarded());
  REQUIRE(ReadMarker(dir.File("consentkit.marker"))->seq == 0);
  REQUIRE(PutOne(*store, *form, "id-1") == PutStatus::kStored);
  RemoveDatabaseFiles(dir);
  CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path(), Guarded()),
                       Has("its audit chain empty when marked"), StoreError);
  CHECK_FALSE(std::filesystem::exists(dir.File("consentkit.db")));
}

TEST_CASE("a marked database that went missing is refused, unless a new one is asked for") {
  test::TempDir dir;
  FormPtr form = Consent();
  {
    auto store = OpenSqliteStore(dir.path(), Guarded());
    REQUIRE(PutOne(*store, *form, "id-1") == PutStatus::kStored);
  }
  RemoveDatabaseFiles(dir);
  CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path(), Guarded()),
                       Has("consentkit.db is missing, but " + dir.File("consentkit.marker") +
                           " says a database was here with audit events up to 1"),
                       StoreError);
  CHECK_FALSE(std::filesystem::exists(dir.File("consentkit.db")));  // nothing made meanwhile
  std::ofstream(dir.File("consentkit.db")).close();                 // an empty file alike
  CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path(), Guarded()), Has("consentkit.db is empty, but"),
                       StoreError);
  {
    auto fresh = OpenSqliteStore(dir.path(), Guarded(/*new_database=*/true));
    CHECK(fresh->CountSubmissions() == 0);
  }
  CHECK(ReadMarker(dir.File("consentkit.marker"))->seq == 0);
  OpenSqliteStore(dir.path(), Guarded());  // the new one is the marked one now
}

TEST_CASE("another database, or one that lost events, is refused against the marker") {
  test::TempDir dir;
  FormPtr form = Consent();
  {
    auto store = OpenSqliteStore(dir.path(), Guarded());
    for (const char* id : {"id-1", "id-2", "id-3"})
      REQUIRE(PutOne(*store, *form, id) == PutStatus::kStored);
  }
  std::string db = dir.File("consentkit.db");
  std::filesystem::copy_file(db, dir.File("saved.db"));
  SUBCASE("the newest events removed") {
    Inspect(dir) << "DELETE FROM audit WHERE seq > 1", now;
    CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path(), Guarded()),
                         Has("consentkit.db: not the database that was here: " +
                             dir.File("consentkit.marker") + " (written "),
                         StoreError);
    CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path(), Guarded()),
                         Has("names audit event 3 with hash "), StoreError);
    CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path(), Guarded()),
                         Has("but its audit chain ends at event 1; put the right "
                             "database back"),
                         StoreError);
  }
  SUBCASE("another clinic's database in its place") {
    test::TempDir other;
    {
      auto store = OpenSqliteStore(other.path());
      for (const char* id : {"x-1", "x-2", "x-3", "x-4"})
        REQUIRE(PutOne(*store, *form, id) == PutStatus::kStored);
    }
    std::filesystem::copy_file(other.File("consentkit.db"), db,
                               std::filesystem::copy_options::overwrite_existing);
    CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path(), Guarded()),
                         Has("but its first audit event has hash "), StoreError);
    // Unguarded opens (the other commands) still open it; serve's needs --new-database.
    OpenSqliteStore(dir.path());
    OpenSqliteStore(dir.path(), Guarded(/*new_database=*/true));
    OpenSqliteStore(dir.path(), Guarded());
  }
  SUBCASE("the right database put back") {
    Inspect(dir) << "DELETE FROM audit WHERE seq > 1", now;
    std::filesystem::copy_file(dir.File("saved.db"), db,
                               std::filesystem::copy_options::overwrite_existing);
    auto store = OpenSqliteStore(dir.path(), Guarded());
    CHECK(store->CountSubmissions() == 3);
  }
}

TEST_CASE("a marker consentkit did not write is refused, naming it") {
  test::TempDir dir;
  OpenSqliteStore(dir.path());
  std::string marker = dir.Write("consentkit.marker", "consentkit-database-marker/1\nseq=3\n");
  CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path(), Guarded()),
                       Has(marker + ": the marker is cut short"), StoreError);
  dir.Write("consentkit.marker",
            "consentkit-database-marker/1\norigin=\nseq=x\nhash=\nwritten_at=\n");
  CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path(), Guarded()),
                       Has(marker + ": seq \"x\" is not a count of events"), StoreError);
  DatabaseMarker m{std::string(64, 'a'), 7, std::string(64, 'b'), "2026-11-23T10:00:00Z"};
  dir.Write("consentkit.marker", FormatMarker(m));
  CHECK(ReadMarker(marker)->hash == m.hash);
  CHECK(ReadMarker(marker)->seq == 7);
}

TEST_CASE("the quick check at open refuses a damaged database, naming the file and the problem") {
  test::TempDir dir;
  FormPtr form = Consent();
  {
    auto store = OpenSqliteStore(dir.path(), Guarded());
    for (int i = 0; i < 40; ++i) {
      std::string id = "id-" + std::to_string(i);
      REQUIRE(store->Put(Record(*form, id, "{}"), std::string(3000, 'p'), *form, "t").status ==
              PutStatus::kStored);
    }
  }
  OpenSqliteStore(dir.path(), Guarded());  // a sound one opens
  std::string path = dir.File("consentkit.db");
  std::string bytes = ReadFile(path);
  REQUIRE(bytes.size() > 40 * 4096);
  bytes.replace(bytes.size() / 2, 8192, std::string(8192, '\x5a'));
  WriteFileAtomically(path, bytes);
  CHECK_THROWS_WITH_AS(OpenSqliteStore(dir.path(), Guarded()),
                       Has(path + ": the database is damaged: SQLite's quick_check "
                                  "reports \"Page "),
                       StoreError);
}

// A VFS over SQLite's default one whose writes or syncs fail with an I/O
// error while asked to, as a failing disk's EIO reaches SQLite. Installed
// as the default for the connections opened while it lives.
class FailingDisk {
 public:
  FailingDisk() : base_(sqlite3_vfs_find(nullptr)) {
    REQUIRE(base_ != nullptr);
    vfs_ = *base_;
    vfs_.zName = "consentkit-failing-disk";
    vfs_.szOsFile = static_cast<int>(sizeof(File)) + base_->szOsFile;
    vfs_.pAppData = this;
    vfs_.xOpen = &Open;
    REQUIRE(sqlite3_vfs_register(&vfs_, 1) == SQLITE_OK);
  }
  ~FailingDisk() {
    sqlite3_vfs_register(base_, 1);
    sqlite3_vfs_unregister(&vfs_);
  }
  FailingDisk(const FailingDisk&) = delete;
  FailingDisk& operator=(const FailingDisk&) = delete;
  std::atomic<bool> fail_writes{false};
  std::atomic<bool> fail_syncs{false};

 private:
  struct File {
    sqlite3_file base;   // pMethods: ours
    sqlite3_file* real;  // the default VFS's file, right after this header
    FailingDisk* disk;
  };
  static sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }
  static FailingDisk* Disk(sqlite3_file* f) { return reinterpret_cast<File*>(f)->disk; }

  static int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
                  int* out_flags) {
    auto* disk = static_cast<FailingDisk*>(vfs->pAppData);
    File* ours = reinterpret_cast<File*>(file);
    ours->real = reinterpret_cast<sqlite3_file*>(ours + 1);
    ours->disk = disk;
    int rc = disk->base_->xOpen(disk->base_, name, ours->real, flags, out_flags);
    ours->base.pMethods = ours->real->pMethods ? &kMethods : nullptr;
    return rc;
  }
  static int Write(sqlite3_file* f, const void* data, int n, sqlite3_int64 at) {
    if (Disk(f)->fail_writes) return SQLITE_IOERR_WRITE;
    return Real(f)->pMethods->xWrite(Real(f), data, n, at);
  }
  static int Sync(sqlite3_file* f, int flags) {
    if (Disk(f)->fail_syncs) return SQLITE_IOERR_FSYNC;
    return Real(f)->pMethods->xSync(Real(f), flags);
  }
  static const sqlite3_io_methods kMethods;

  sqlite3_vfs* base_;
  sqlite3_vfs vfs_;
};

// Every other method passes straight through to the real file.
const sqlite3_io_methods FailingDisk::kMethods = {
    3,
    [](sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); },
    [](sqlite3_file* f, void* out, int n, sqlite3_int64 at) {
      return Real(f)->pMethods->xRead(Real(f), out, n, at);
    },
    &FailingDisk::Write,
    [](sqlite3_file* f, sqlite3_int64 size) { return Real(f)->pMethods->xTruncate(Real(f), size); },
    &FailingDisk::Sync,
    [](sqlite3_file* f, sqlite3_int64* size) {
      return Real(f)->pMethods->xFileSize(Real(f), size);
    },
    [](sqlite3_file* f, int lock) { return Real(f)->pMethods->xLock(Real(f), lock); },
    [](sqlite3_file* f, int lock) { return Real(f)->pMethods->xUnlock(Real(f), lock); },
    [](sqlite3_file* f, int* out) { return Real(f)->pMethods->xCheckReservedLock(Real(f), out); },
    [](sqlite3_file* f, int op, void* arg) {
      return Real(f)->pMethods->xFileControl(Real(f), op, arg);
    },
    [](sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); },
    [](sqlite3_file* f) { return Real(f)->pMethods->xDeviceCharacteristics(Real(f)); },
    [](sqlite3_file* f, int region, int size, int extend, void volatile** out) {
      return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, out);
    },
    [](sqlite3_file* f, int offset, int n, int flags) {
      return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
    },
    [](sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); },
    [](sqlite3_file* f, int remove) { return Real(f)->pMethods->xShmUnmap(Real(f), remove); },
    [](sqlite3_file* f, sqlite3_int64 at, int n, void** out) {
      return Real(f)->pMethods->xFetch(Real(f), at, n, out);
    },
    [](sqlite3_file* f, sqlite3_int64 at, void* p) {
      return Real(f)->pMethods->xUnfetch(Real(f), at, p);
    },
};

TEST_CASE(
    "an I/O error on write or sync is a StoreError, nothing is reported stored, and the "
    "store goes on once the disk does") {
  test::TempDir dir;
  FormPtr form = Consent();
  FailingDisk disk;
  {
    auto store = OpenSqliteStore(dir.path());
    REQUIRE(PutOne(*store, *form, "id-1") == PutStatus::kStored);
    disk.fail_writes = true;
    CHECK_THROWS_WITH_AS(PutOne(*store, *form, "id-2"), Has("storing submission id-2"), StoreError);
    CHECK_THROWS_WITH_AS(store->RecordEvent("cli", "test.event", ""), Has("disk I/O error"),
                         StoreError);
    disk.fail_writes = false;
    disk.fail_syncs = true;
    CHECK_THROWS_WITH_AS(PutOne(*store, *form, "id-3"), Has("disk I/O error"), StoreError);
    disk.fail_syncs = false;
    CHECK_FALSE(store->Find("id-2"));
    CHECK_FALSE(store->Find("id-3"));
    CHECK(PutOne(*store, *form, "id-4") == PutStatus::kStored);
  }
  auto store = OpenSqliteStore(dir.path());
  CHECK(store->Find("id-1"));
  CHECK(store->Find("id-4"));
  CHECK(store->CheckIntegrity(5).empty());
}

}  // namespace
}  // namespace consentkit
