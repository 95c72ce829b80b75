// The embedded default store: one SQLite file in the data directory.
//
// One connection behind a mutex: SQLite serialises writers anyway, and each
// Put holds the lock only for its short transaction (the PDF is rendered
// before). WAL lets another process (export, verify) read meanwhile.
#include <Poco/Data/LOB.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>

#include "store/file_guard.h"
#include "store/marker.h"
#include "store/name_key.h"
#include "store/store.h"
#include "util/util.h"

namespace consentkit {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::useRef;

// Schema migrations, applied in order; PRAGMA user_version counts how many
// a database already has. Never edit a released entry: append a new one.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE definitions (
  form_id TEXT NOT NULL,
  version TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  xml BLOB NOT NULL,
  first_used_at TEXT NOT NULL,
  PRIMARY KEY (form_id, version)
);
CREATE TABLE submissions (
  id TEXT PRIMARY KEY,
  form_id TEXT NOT NULL,
  form_version TEXT NOT NULL,
  form_sha256 TEXT NOT NULL,
  language TEXT NOT NULL,
  received_at TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reasons TEXT NOT NULL,
  content_json TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  pdf BLOB NOT NULL,
  pdf_sha256 TEXT NOT NULL,
  FOREIGN KEY (form_id, form_version) REFERENCES definitions (form_id, version)
);
CREATE INDEX submissions_by_time ON submissions (received_at);
)sql",
    R"sql(
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit (at);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT NOT NULL DEFAULT ''
);
)sql",
    // Export reads in (received_at, id) order; without id in the index,
    // SQLite sorted each second's rows, PDFs and all, in a temporary B-tree
    // (306 MB for 100,000 rows stored within half a minute).
    R"sql(
DROP INDEX submissions_by_time;
CREATE INDEX submissions_by_time ON submissions (received_at, id);
)sql",
    // Visits, practitioner reviews, phone invites and kiosk hand-offs. A
    // review keeps the countersigned PDF beside the original, which stays
    // as first stored (the "submission.stored" event anchors its hash).
    R"sql(
ALTER TABLE submissions ADD COLUMN visit_id TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0;
CREATE INDEX submissions_by_visit ON submissions (visit_id, received_at, id);
CREATE INDEX submissions_awaiting_review ON submissions (received_at, id) WHERE needs_review = 1;
CREATE TABLE visits (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  patient_name TEXT NOT NULL,
  patient_dob TEXT NOT NULL,
  patient_number TEXT NOT NULL,
  form_ids TEXT NOT NULL
);
CREATE INDEX visits_by_time ON visits (created_at, id);
CREATE TABLE reviews (
  submission_id TEXT PRIMARY KEY REFERENCES submissions (id),
  decision TEXT NOT NULL,
  note TEXT NOT NULL,
  practitioner TEXT NOT NULL,
  practitioner_name TEXT NOT NULL,
  reviewed_at TEXT NOT NULL,
  pdf BLOB NOT NULL,
  pdf_sha256 TEXT NOT NULL
);
CREATE TABLE invites (
  id TEXT PRIMARY KEY,
  visit_id TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX invites_by_visit ON invites (visit_id, created_at, id);
CREATE TABLE handoffs (
  tablet_token_id TEXT PRIMARY KEY,
  visit_id TEXT NOT NULL,
  at TEXT NOT NULL,
  by TEXT NOT NULL
);
)sql",
    // A visit's form is filled once: intake checks first, this holds when two
    // tablets send at the same moment.
    R"sql(
CREATE UNIQUE INDEX submissions_once_per_visit ON submissions (visit_id, form_id)
  WHERE visit_id <> '';
)sql",
    // Witness steps staff unlocked, one per form of a visit.
    R"sql(
CREATE TABLE witness_unlocks (
  visit_id TEXT NOT NULL,
  form_id TEXT NOT NULL,
  unlocked_by TEXT NOT NULL,
  unlocked_by_name TEXT NOT NULL,
  unlocked_at TEXT NOT NULL,
  PRIMARY KEY (visit_id, form_id)
);
)sql",
    // The patient's name as a search compares it (NameKey), kept with the
    // visit: folding every row's name at each search cost 14x.
    R"sql(
ALTER TABLE visits ADD COLUMN patient_key TEXT NOT NULL DEFAULT '';
UPDATE visits SET patient_key = ck_name_key(patient_name);
)sql",
    // Signed checkpoints of the audit chain's head (see Checkpoint).
    R"sql(
CREATE TABLE checkpoints (
  seq INTEGER PRIMARY KEY,
  last_hash TEXT NOT NULL,
  at TEXT NOT NULL,
  signature TEXT NOT NULL
);
)sql",
};
constexpr int kSchemaVersion = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);

// Reasons are single lines (the loader collapses white space) and form ids
// have none, so a newline separates them safely.
std::string JoinLines(const std::vector<std::string>& lines, const char* separator = "\n") {
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : separator) + line;
  return out;
}

std::vector<std::string> SplitLines(const std::string& joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < joined.size()) {
    std::size_t end = joined.find('\n', start);
    if (end == std::string::npos) end = joined.size();
    out.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Outcome StoredOutcome(const std::string& text) {
  std::optional<Outcome> outcome = ParseOutcome(text);
  if (!outcome) throw StoreError("stored outcome \"" + text + "\" is not one consentkit knows");
  return *outcome;
}

Poco::Data::BLOB ToBlob(const std::string& bytes) {
  return Poco::Data::BLOB(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::string FromBlob(const Poco::Data::BLOB& blob) {
  if (blob.size() == 0) return {};
  return std::string(reinterpret_cast<const char*>(blob.rawContent()), blob.size());
}

// BEGIN IMMEDIATE takes the write lock up front, so appending to the audit
// chain (read the last hash, write the next) cannot race another process
// (export, tokens) between its read and its write. With a guard, Commit
// throws StoreUnavailable after the COMMIT if the file committed to is no
// longer the database (see DatabaseFileGuard): the caller must not report
// the write as done.
class WriteTransaction {
 public:
  WriteTransaction(Poco::Data::Session& session, DatabaseFileGuard* guard)
      : session_(session), guard_(guard) {
    session_ << "BEGIN IMMEDIATE", now;
  }
  ~WriteTransaction() {
    if (open_) {
      try {
        session_ << "ROLLBACK", now;
      } catch (...) {  // nothing more to do: the connection reports it next time
      }
    }
  }
  void Commit() {
    session_ << "COMMIT", now;
    open_ = false;
    if (guard_) guard_->Check();
  }

 private:
  Poco::Data::Session& session_;
  DatabaseFileGuard* guard_;
  bool open_ = true;
};

// A submission with its review, if any: what BindSubmissionRow reads, and
// the join it reads from. The review's columns are '' when there is none.
const char kSubmissionColumns[] =
    "s.id, s.form_id, s.form_version, s.form_sha256, s.language, s.received_at, s.outcome, "
    "s.reasons, s.content_json, s.content_sha256, s.pdf_sha256, s.visit_id, s.needs_review, "
    "COALESCE(r.submission_id, ''), COALESCE(r.decision, ''), COALESCE(r.note, ''), "
    "COALESCE(r.practitioner, ''), COALESCE(r.practitioner_name, ''), "
    "COALESCE(r.reviewed_at, ''), COALESCE(r.pdf_sha256, '')";
const char kSubmissionsWithReviews[] =
    " FROM submissions s LEFT JOIN reviews r ON r.submission_id = s.id";
// The PDF reads return: the countersigned one once reviewed.
const char kCurrentPdf[] = "COALESCE(r.pdf, s.pdf)";

// One row of `submissions` as bound variables, turned into a record.
struct SubmissionRow {
  SubmissionRecord r;
  std::string outcome, reasons;
  int needs_review = 0;
  Review review;
  SubmissionRecord Take() {
    r.outcome = StoredOutcome(outcome);
    r.reasons = SplitLines(reasons);
    r.needs_review = needs_review != 0;
    r.review.reset();
    if (!review.submission_id.empty()) r.review = review;
    return r;
  }
};

void BindSubmissionRow(Poco::Data::Statement& select, SubmissionRow& row) {
  SubmissionRecord& r = row.r;
  Review& v = row.review;
  select, into(r.id), into(r.form_id), into(r.form_version), into(r.form_sha256), into(r.language),
      into(r.received_at), into(row.outcome), into(row.reasons), into(r.content_json),
      into(r.content_sha256), into(r.pdf_sha256), into(r.visit_id), into(row.needs_review);
  select, into(v.submission_id), into(v.decision), into(v.note), into(v.practitioner),
      into(v.practitioner_name), into(v.reviewed_at), into(v.pdf_sha256);
}

// "SELECT <submission columns><extra> FROM submissions s LEFT JOIN reviews r…<rest>".
std::string SubmissionSql(const std::string& extra, const std::string& rest) {
  return std::string("SELECT ") + kSubmissionColumns + extra + kSubmissionsWithReviews + rest;
}

const char kVisitColumns[] =
    "id, created_at, created_by, patient_name, patient_dob, patient_number, form_ids";

struct VisitRow {
  Visit v;
  std::string form_ids;
  Visit Take() {
    v.form_ids = SplitLines(form_ids);
    return v;
  }
};

void BindVisitRow(Poco::Data::Statement& select, VisitRow& row) {
  Visit& v = row.v;
  select, into(v.id), into(v.created_at), into(v.created_by), into(v.patient.name),
      into(v.patient.date_of_birth), into(v.patient.number), into(row.form_ids);
}

const char kInviteColumns[] =
    "id, visit_id, secret_sha256, created_at, created_by, expires_at, revoked_at";

void BindInvite(Poco::Data::Statement& select, Invite& i) {
  select, into(i.id), into(i.visit_id), into(i.secret_sha256), into(i.created_at),
      into(i.created_by), into(i.expires_at), into(i.revoked_at);
}

const char kWitnessColumns[] = "visit_id, form_id, unlocked_by, unlocked_by_name, unlocked_at";

void BindWitness(Poco::Data::Statement& select, WitnessUnlock& w) {
  select, into(w.visit_id), into(w.form_id), into(w.unlocked_by), into(w.unlocked_by_name),
      into(w.unlocked_at);
}

// Calls a streaming read's visitor. What it throws is the caller's, not a
// database failure: kept in `error` (false returned, ending the walk) and
// rethrown as it is once the read is closed, where a Poco exception (from
// a zip writer, say) would otherwise be reported as the store's.
template <typename Call>
bool CallVisitor(Call call, std::exception_ptr& error) {
  try {
    call();
    return true;
  } catch (...) {
    error = std::current_exception();
    return false;
  }
}

// Runs `select` a row at a time, calling `take` after each row is read into
// its bound variables.
template <typename Take>
void EachRow(Poco::Data::Statement& select, Take take) {
  select, Poco::Data::Keywords::limit(1);
  while (!select.done()) {
    if (select.execute() == 0) break;
    take();
  }
}

// The WHERE clause of a query and its values, bound by reference in order
// (so the filter must outlive the statement's execution).
class Filter {
 public:
  void Add(const std::string& condition, std::vector<std::string> values = {}) {
    sql_ += (sql_.empty() ? " WHERE " : " AND ") + condition;
    values_.insert(values_.end(), values.begin(), values.end());
  }
  // received_at or created_at within [from, to).
  void AddRange(const std::string& column, const std::string& from, const std::string& to) {
    if (!from.empty()) Add(column + " >= ?", {from});
    if (!to.empty()) Add(column + " < ?", {to});
  }
  const std::string& sql() const { return sql_; }
  // The conditions without the leading " WHERE ", for a subquery.
  std::string Where() const { return sql_.substr(7); }
  const std::vector<std::string>& Values() const { return values_; }
  void Bind(Poco::Data::Statement& statement) {
    for (std::string& value : values_) statement, useRef(value);
  }

 private:
  std::string sql_;
  std::vector<std::string> values_;
};

// Listings go newest first and page by keyset: the cursor is the last
// row's sort key, "<time>|<id>", so a page never repeats or skips a row
// stored while someone pages.
constexpr int kMaxPage = 200;

int PageSize(int requested) {
  return requested < 1 ? 1 : requested > kMaxPage ? kMaxPage : requested;
}

std::string MakeCursor(const std::string& at, const std::string& id) { return at + "|" + id; }

// A stored time: digits and the punctuation of ISO 8601.
bool IsTimeText(const std::string& text) {
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && std::strchr("-:.+TZ", c) == nullptr) {
      return false;
    }
  }
  return !text.empty();
}

bool IsPrintable(const std::string& text) {
  for (char c : text) {
    if (c < ' ' || c > '~') return false;
  }
  return true;
}

// Adds "after this cursor" for a listing in (at_column, id_column)
// descending order. Ids are any text, so the first '|' ends the time.
void AddCursor(Filter& filter, const std::string& cursor, const std::string& at_column,
               const std::string& id_column) {
  if (cursor.empty()) return;
  std::size_t bar = cursor.find('|');
  if (bar == std::string::npos || !IsTimeText(cursor.substr(0, bar)) || bar + 1 == cursor.size()) {
    std::string shown = IsPrintable(cursor) ? cursor.substr(0, 80) : "(unprintable)";
    throw std::invalid_argument("cursor \"" + shown + "\" is not one this listing made");
  }
  filter.Add("(" + at_column + ", " + id_column + ") < (?, ?)",
             {cursor.substr(0, bar), cursor.substr(bar + 1)});
}

// Name contains `patient`, case and accents aside (NameKey on both sides),
// or date of birth equals it.
void AddPatient(Filter& filter, const std::string& patient, const std::string& table) {
  if (patient.empty()) return;
  std::string pattern = "%";
  for (char c : NameKey(patient)) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  filter.Add("(" + table + ".patient_key LIKE ? ESCAPE '\\' OR " + table + ".patient_dob = ?)",
             {pattern, patient});
}

// Submissions of the visits whose patient matches. A subquery rather than a
// join: the visits are small rows found first, then their submissions by
// index, where a join scanned every submission row (PDF and all) newest first.
void AddPatientVisits(Filter& filter, const std::string& patient) {
  if (patient.empty()) return;
  Filter visits;
  AddPatient(visits, patient, "v");
  filter.Add("s.visit_id IN (SELECT v.id FROM visits v WHERE " + visits.Where() + ")",
             visits.Values());
}

// Keeps `limit` of the `limit + 1` rows read, and the cursor of the last
// kept if there were more.
template <typename T, typename Key>
Page<T> ToPage(std::vector<T> rows, int limit, Key key) {
  Page<T> page;
  page.items = std::move(rows);
  auto size = static_cast<std::size_t>(limit);
  if (page.items.size() > size) {
    page.items.resize(size);
    page.next = key(page.items.back());
  }
  return page;
}

// Connections a store gave up on (see ~SqliteStore): never closed, and
// kept reachable so that a leak checker sees them as kept, not lost.
void Abandon(std::vector<Poco::Data::Session> sessions) {
  struct Abandoned {
    std::mutex mutex;
    std::vector<Poco::Data::Session> sessions;
  };
  static Abandoned* const kept = new Abandoned;
  std::lock_guard<std::mutex> lock(kept->mutex);
  for (Poco::Data::Session& session : sessions) kept->sessions.push_back(session);
}

class SqliteStore : public Store {
 public:
  SqliteStore(const std::string& path, const SqliteOptions& options)
      : path_(path),
        options_(options),
        live_(options.read_only && IsLive(path)),
        guard_(options.read_only ? nullptr : std::make_unique<DatabaseFileGuard>(path)),
        session_(Open(path, options, live_)) {
    if (options.quick_check) QuickCheck();  // before a migration writes to a damaged file
    if (options.read_only) {
      RequireCurrentSchema();
    } else {
      Migrate();
    }
    reader_.emplace(Open(path, options, live_));
    if (guard_) guard_->Settle();
    if (options.guard_with_marker && !options.read_only) {
      if (!options.new_database) HoldToMarker();
      Mark();
    }
  }
  // A clean close marks the last head, unless the files were lost: then
  // the marker keeps naming the head the lost database had.
  ~SqliteStore() override {
    if (guard_ && guard_->Failed()) {
      // Closing the last connection checkpoints through the WAL index,
      // which may be truncated under its map now (SIGBUS), into a file that
      // may be gone. Left open until the process exits, which closes them
      // without touching either (a restart is the way back anyway).
      Abandon({session_, *reader_});
      return;
    }
    if (!options_.guard_with_marker || !guard_) return;
    try {
      Mark();
    } catch (const std::exception&) {  // the marker's older head is still in the chain
    }
  }
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  PutResult Put(const SubmissionRecord& record, const std::string& pdf, const FormDefinition& form,
                const Actor& actor) override;
  std::optional<SubmissionRecord> Find(const std::string& id) override;
  std::optional<std::string> FindPdf(const std::string& id) override;
  AuditEvent RecordEvent(const Actor& actor, const std::string& action, const std::string& object,
                         const std::string& detail) override;
  void ForEachSubmission(const std::string& from, const std::string& to,
                         const SubmissionVisitor& visit) override;
  void ForEachAuditEvent(std::int64_t first_seq, std::int64_t last_seq,
                         const std::function<void(const AuditEvent&)>& visit) override;
  std::int64_t LastAuditSeq() override;
  std::optional<std::string> DefinitionXml(const std::string& form_id,
                                           const std::string& version) override;
  std::optional<std::string> PinnedDefinitionHash(const std::string& form_id,
                                                  const std::string& version) override;
  std::size_t CountSubmissions() override;
  void AddToken(const Token& token, const Actor& actor) override;
  std::optional<Token> FindToken(const std::string& id) override;
  std::vector<Token> Tokens() override;
  bool RevokeToken(const std::string& id, const Actor& actor) override;
  Page<SubmissionRecord> ListSubmissions(const SubmissionQuery& query) override;
  void AddVisit(const Visit& visit, const Actor& actor) override;
  std::optional<Visit> FindVisit(const std::string& id) override;
  Page<Visit> ListVisits(const VisitQuery& query) override;
  std::vector<SubmissionRecord> SubmissionsOfVisit(const std::string& visit_id) override;
  bool PutReview(const Review& review, const std::string& pdf, const Actor& actor) override;
  void AddInvite(const Invite& invite, const Actor& actor) override;
  std::optional<Invite> FindInvite(const std::string& id) override;
  bool RevokeInvite(const std::string& id, const Actor& actor) override;
  std::vector<Invite> InvitesOfVisit(const std::string& visit_id) override;
  std::vector<Invite> Invites() override;
  std::vector<std::string> SubmissionIds() override;
  void AddCheckpoint(const Checkpoint& checkpoint) override;
  std::optional<Checkpoint> LatestCheckpoint() override;
  void ForEachCheckpoint(const std::function<void(const Checkpoint&)>& visit) override;
  std::vector<std::string> CheckIntegrity(std::size_t max_problems) override;
  WitnessUnlock UnlockWitness(const WitnessUnlock& unlock, const Actor& actor) override;
  bool LockWitness(const std::string& visit_id, const std::string& form_id,
                   const Actor& actor) override;
  std::vector<WitnessUnlock> WitnessUnlocksOfVisit(const std::string& visit_id) override;
  void SetHandoff(const std::string& tablet_token_id, const std::string& visit_id,
                  const Actor& actor) override;
  std::optional<std::string> FindHandoff(const std::string& tablet_token_id) override;
  bool ClearHandoff(const std::string& tablet_token_id, const std::string& visit_id,
                    const Actor& actor) override;

 private:
  static Poco::Data::Session Open(const std::string& path, const SqliteOptions& options,
                                  bool live = false);
  // Whether a server may have the database open (read-only opens only):
  // decided once, so that every connection of this store reads the same
  // way (see OpenReadOnly).
  static bool IsLive(const std::string& path);
  static Poco::Data::Session OpenReadOnly(const std::string& path, bool live);
  void Migrate();
  // Throws StoreError naming the file and quick_check's first problem.
  void QuickCheck();
  // The chain's origin and head now, as a marker holds them.
  // REQUIRES: mutex_ held, or the constructor running.
  DatabaseMarker CurrentHead();
  // Throws StoreError unless the chain holds the marker's origin and head.
  void HoldToMarker();
  // Rewrites the marker with the current head. Throws StoreError.
  void Mark();
  // The connections, locked, once the guard finds the files in place
  // (else StoreUnavailable, before SQLite touches a WAL index that may
  // have been truncated under its memory map).
  std::unique_lock<std::mutex> LockWriter();
  std::unique_lock<std::mutex> LockReader();
  // A read-only store cannot migrate, and reading an older schema with
  // this version's queries would fail row by row.
  void RequireCurrentSchema();
  static std::optional<SubmissionRecord> FindIn(Poco::Data::Session& session,
                                                const std::string& id);
  // Submissions (without PDFs) or visits matching `filter`, in `order`, at
  // most `limit` of them when it is positive.
  // REQUIRES: mutex_ held (the writer's connection).
  std::optional<SubmissionRecord> FilledForVisit(const std::string& visit_id,
                                                 const std::string& form_id);
  // Whether `printed` is still the unlock of its witness step.
  // REQUIRES: mutex_ held.
  bool StillUnlocked(const WitnessUnlock& printed);
  static std::vector<SubmissionRecord> SelectSubmissions(Poco::Data::Session& session,
                                                         const std::string& joins, Filter& filter,
                                                         const std::string& order, int limit = 0);
  // The unlocks of `visit_id`'s witness steps; of `form_id` only unless empty.
  static std::vector<WitnessUnlock> SelectWitnessUnlocks(Poco::Data::Session& session,
                                                         const std::string& visit_id,
                                                         const std::string& form_id);
  static std::vector<Visit> SelectVisits(Poco::Data::Session& session, Filter& filter,
                                         const std::string& order, int limit = 0);
  // Invites whose `column` is `value`; every invite when `column` is empty.
  static std::vector<Invite> SelectInvites(Poco::Data::Session& session, const std::string& column,
                                           const std::string& value);
  bool Reviewable(const std::string& submission_id);
  void InsertReview(const Review& review, const std::string& pdf);
  // One waiting Put of a group commit.
  struct PendingPut {
    PendingPut(const SubmissionRecord& r, const std::string& p, const FormDefinition& f,
               const Actor& a)
        : record(r), pdf(p), form(f), actor(a) {}
    const SubmissionRecord& record;
    const std::string& pdf;
    const FormDefinition& form;
    const Actor& actor;
    PutResult result{PutStatus::kStored, {}};
    std::exception_ptr error;
    bool done = false;
  };
  void CommitGroup(const std::vector<PendingPut*>& group) noexcept;
  // Inside a catch block: the exception being handled, as a StoreError.
  std::exception_ptr CurrentErrorAsStoreError(const std::string& doing) const;
  PutResult PutLocked(const PendingPut& put);
  void Insert(const SubmissionRecord& record, const std::string& pdf, const FormDefinition& form);
  AuditEvent AppendEventLocked(const Actor& actor, const std::string& action,
                               const std::string& object, const std::string& detail);
  std::vector<Token> SelectTokens(Poco::Data::Session& session, const std::string& where,
                                  const std::string& id);
  [[noreturn]] void Fail(const std::string& doing, const Poco::Exception& e) const {
    throw StoreError(path_ + ": " + doing + ": " + e.displayText());
  }

  std::string path_;
  SqliteOptions options_;
  bool live_;                                 // read-only: see IsLive
  std::unique_ptr<DatabaseFileGuard> guard_;  // writable stores only
  std::mutex mutex_;                          // the connection
  Poco::Data::Session session_;
  // Lookups by id (retries, PDFs, every request's token) on a connection of
  // their own: in WAL mode they read the last commit without waiting for
  // the writer, which holds session_ through each group's fsync.
  std::mutex reader_mutex_;
  std::optional<Poco::Data::Session> reader_;

  std::mutex queue_mutex_;  // the group commit's queue
  std::condition_variable committed_;
  std::vector<PendingPut*> queue_;
  bool committing_ = false;
};

// SQLite's URI form reserves these three in a path.
std::string PercentEncodeForUri(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '%')
      out += "%25";
    else if (c == '?')
      out += "%3f";
    else if (c == '#')
      out += "%23";
    else
      out += c;
  }
  return out;
}

Poco::Data::Session SqliteStore::Open(const std::string& path, const SqliteOptions& options,
                                      bool live) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
  try {
    // Poco retries a failed open for the whole connection timeout (60 s by
    // default); a database that cannot open now will not open in a minute.
    if (options.read_only) return OpenReadOnly(path, live);
    Poco::Data::Session session("SQLite", path, /*timeout_s=*/2);
    // Wait for another process's lock (first of all: switching to WAL takes one).
    session << "PRAGMA busy_timeout=10000", now;
    std::string mode;
    session << "PRAGMA journal_mode=WAL", into(mode), now;
    session << (options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF"),
        now;
    session << "PRAGMA foreign_keys=ON", now;
    if (mode != "wal") throw StoreError(path + ": cannot switch to WAL journal (got " + mode + ")");
    if (!RegisterNameKeyFunction(Poco::Data::SQLite::Utility::dbHandle(session))) {
      throw StoreError(path + ": cannot register the patient search function");
    }
    return session;
  } catch (const Poco::Exception& e) {
    throw StoreError(path + ": cannot open database: " + e.displayText());
  }
}

std::unique_lock<std::mutex> SqliteStore::LockWriter() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (guard_) guard_->Check();
  return lock;
}

std::unique_lock<std::mutex> SqliteStore::LockReader() {
  std::unique_lock<std::mutex> lock(reader_mutex_);
  if (guard_) guard_->Check();
  return lock;
}

// quick_check reads every page and checks each b-tree's structure, without
// matching indexes to their tables (integrity_check's slow part).
void SqliteStore::QuickCheck() {
  std::string first;
  try {
    session_ << "PRAGMA quick_check(1)", into(first), now;
  } catch (const Poco::Exception& e) {
    throw StoreError(path_ + ": the database is damaged: its integrity check could not run: " +
                     e.displayText() + "; restore it from a backup");
  }
  if (first != "ok") {
    // "*** in database main ***\nPage 38: btreeInitPage() returns error code 11": the page's line.
    const char kBanner[] = "*** in database main ***\n";
    if (first.compare(0, sizeof kBanner - 1, kBanner) == 0) first.erase(0, sizeof kBanner - 1);
    first = first.substr(0, first.find('\n'));
    throw StoreError(path_ + ": the database is damaged: SQLite's quick_check reports \"" + first +
                     "\"; restore it from a backup (consentkit verify names what it can still "
                     "read)");
  }
}

DatabaseMarker SqliteStore::CurrentHead() {
  DatabaseMarker head;
  try {
    Poco::Data::Statement origin(session_);
    origin << "SELECT hash FROM audit WHERE seq = 1", into(head.origin);
    origin.execute();
    Poco::Data::Statement last(session_);
    last << "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", into(head.seq),
        into(head.hash);
    last.execute();
  } catch (const Poco::Exception& e) {
    Fail("reading the head of the audit chain", e);
  }
  head.written_at = UtcNow();
  return head;
}

void SqliteStore::Mark() { WriteMarker(MarkerPath(path_), CurrentHead()); }

// The marker's head is a past head of the chain, which only grows: a
// database that lacks it is another one, or lost events.
void SqliteStore::HoldToMarker() {
  std::string marker_path = MarkerPath(path_);
  std::optional<DatabaseMarker> marker = ReadMarker(marker_path);
  if (!marker || marker->seq == 0) return;  // nothing to lose was ever marked
  std::string origin, hash;
  std::int64_t last = 0;
  try {
    session_ << "SELECT COALESCE(MAX(seq), 0) FROM audit", into(last), now;
    Poco::Data::Statement first(session_);
    first << "SELECT hash FROM audit WHERE seq = 1", into(origin);
    first.execute();
    Poco::Data::Statement at(session_);
    at << "SELECT hash FROM audit WHERE seq = ?", into(hash), useRef(marker->seq);
    at.execute();
  } catch (const Poco::Exception& e) {
    Fail("reading the audit chain to hold it to " + marker_path, e);
  }
  std::string found;
  if (last < marker->seq) {
    found = "its audit chain ends at event " + std::to_string(last);
  } else if (origin != marker->origin) {
    found = "its first audit event has hash " + origin.substr(0, 16) + "…, not the marker's " +
            marker->origin.substr(0, 16) + "…";
  } else if (hash != marker->hash) {
    found = "its event " + std::to_string(marker->seq) + " has hash " + hash.substr(0, 16) + "…";
  } else {
    return;
  }
  throw StoreError(path_ + ": not the database that was here: " + marker_path + " (written " +
                   marker->written_at + ") names audit event " + std::to_string(marker->seq) +
                   " with hash " + marker->hash.substr(0, 16) + "…, but " + found +
                   "; put the right database back (with its -wal file), or start with "
                   "--new-database to accept this one");
}

void SqliteStore::Migrate() {
  try {
    int version = 0;
    session_ << "PRAGMA user_version", into(version), now;
    if (version > kSchemaVersion) {
      throw StoreError(path_ + ": schema version " + std::to_string(version) +
                       " is newer than this consentkit understands (" +
                       std::to_string(kSchemaVersion) + "); upgrade consentkit");
    }
    while (version < kSchemaVersion) {
      WriteTransaction transaction(session_, guard_.get());
      // Read again under the write lock: another process may have migrated.
      session_ << "PRAGMA user_version", into(version), now;
      if (version >= kSchemaVersion) break;
      session_ << kMigrations[version], now;
      session_ << "PRAGMA user_version=" + std::to_string(version + 1), now;
      transaction.Commit();
      ++version;
    }
  } catch (const Poco::Exception& e) {
    Fail("applying schema migrations", e);
  }
}

// A read-only open must leave the folder exactly as it is. A cleanly closed
// database has no -wal file (SQLite removes it at the last close), so it
// is opened immutable and SQLite then creates no -shm or -wal beside it,
// even where it could. A live one (a server has it open, or one stopped
// without closing it) keeps its last commits in the -wal, which only a
// mode=ro connection reads; SQLite then needs the -shm to exist or be
// creatable, which it is wherever that server runs.
bool SqliteStore::IsLive(const std::string& path) {
  struct stat info {};
  return stat((path + "-wal").c_str(), &info) == 0 || stat((path + "-shm").c_str(), &info) == 0;
}

Poco::Data::Session SqliteStore::OpenReadOnly(const std::string& path, bool live) {
  std::string uri = "file:" + PercentEncodeForUri(path) + (live ? "?mode=ro" : "?immutable=1");
  Poco::Data::Session session("SQLite", uri, /*timeout_s=*/2);
  session << "PRAGMA busy_timeout=10000", now;
  if (!RegisterNameKeyFunction(Poco::Data::SQLite::Utility::dbHandle(session))) {
    throw StoreError(path + ": cannot register the patient search function");
  }
  return session;
}

void SqliteStore::RequireCurrentSchema() {
  int version = 0;
  try {
    session_ << "PRAGMA user_version", into(version), now;
  } catch (const Poco::Exception& e) {
    Fail("reading the schema version", e);
  }
  if (version == kSchemaVersion) return;
  if (version > kSchemaVersion) {
    throw StoreError(path_ + ": schema version " + std::to_string(version) +
                     " is newer than this consentkit understands (" +
                     std::to_string(kSchemaVersion) + "); upgrade consentkit");
  }
  throw StoreError(path_ + ": schema version " + std::to_string(version) + ", expected " +
                   std::to_string(kSchemaVersion) +
                   ": read-only, it cannot be brought up to date; verify a copy after opening "
                   "the copy once with any other consentkit command (which migrates it)");
}

// Group commit: each fsync costs the same for one submission as for
// thirty, so the Puts that arrive while one transaction commits wait and
// go together in the next, each in its own savepoint. Whoever finds no
// commit running leads it; every caller returns only after the COMMIT that
// holds its record, so each receipt stays as durable as with one
// transaction per submission.
PutResult SqliteStore::Put(const SubmissionRecord& record, const std::string& pdf,
                           const FormDefinition& form, const Actor& actor) {
  PendingPut mine{record, pdf, form, actor};
  std::unique_lock<std::mutex> lock(queue_mutex_);
  queue_.push_back(&mine);
  while (!mine.done) {
    if (committing_) {
      committed_.wait(lock);
      continue;
    }
    committing_ = true;
    std::vector<PendingPut*> group;
    group.swap(queue_);
    lock.unlock();
    CommitGroup(group);  // never throws: errors are left in each PendingPut
    lock.lock();
    for (PendingPut* put : group) put->done = true;
    committing_ = false;
    committed_.notify_all();
  }
  if (mine.error) std::rethrow_exception(mine.error);
  return mine.result;
}

// Whatever goes wrong is left in the put it belongs to: the leader must
// always get back to hand its group their results, or every later Put
// would wait for it forever.
void SqliteStore::CommitGroup(const std::vector<PendingPut*>& group) noexcept {
  try {
    auto lock = LockWriter();
    WriteTransaction transaction(session_, guard_.get());
    for (PendingPut* put : group) {
      // A put that fails leaves nothing behind and does not sink the others.
      session_ << "SAVEPOINT put", now;
      try {
        put->result = PutLocked(*put);
        session_ << "RELEASE put", now;
      } catch (...) {
        put->error = CurrentErrorAsStoreError("storing submission " + put->record.id);
        session_ << "ROLLBACK TO put", now;
        session_ << "RELEASE put", now;
      }
    }
    transaction.Commit();
  } catch (...) {
    // Nothing in the group was stored.
    for (PendingPut* put : group) {
      if (!put->error) {
        put->error = CurrentErrorAsStoreError("storing submission " + put->record.id);
      }
    }
  }
}

std::exception_ptr SqliteStore::CurrentErrorAsStoreError(const std::string& doing) const {
  try {
    throw;
  } catch (const StoreUnavailable&) {  // names the database, and must stay itself (a 503)
    return std::current_exception();
  } catch (const Poco::Exception& e) {
    return std::make_exception_ptr(StoreError(path_ + ": " + doing + ": " + e.displayText()));
  } catch (const std::exception& e) {
    return std::make_exception_ptr(StoreError(path_ + ": " + doing + ": " + e.what()));
  } catch (...) {
    return std::make_exception_ptr(StoreError(path_ + ": " + doing + ": unknown error"));
  }
}

PutResult SqliteStore::PutLocked(const PendingPut& put) {
  const SubmissionRecord& record = put.record;
  if (auto existing = FindIn(session_, record.id)) {
    bool same = existing->content_sha256 == record.content_sha256;
    return {same ? PutStatus::kDuplicate : PutStatus::kConflict, *existing};
  }
  if (auto filled = FilledForVisit(record.visit_id, record.form_id)) {
    return {PutStatus::kVisitFilled, *filled};
  }
  if (record.witness && !StillUnlocked(*record.witness))
    return {PutStatus::kWitnessChanged, record};
  Insert(record, put.pdf, put.form);
  std::string detail =
      "pdf_sha256=" + record.pdf_sha256 + ";content_sha256=" + record.content_sha256;
  if (!record.visit_id.empty()) detail += ";visit=" + record.visit_id;
  // Last, after the keys older verifiers and the archive read.
  detail += ";record_sha256=" + RecordHash(record);
  AppendEventLocked(put.actor, "submission.stored", record.id, detail);
  PutResult result{PutStatus::kStored, record};
  result.record.review.reset();  // Put ignores it: nothing is reviewed yet
  return result;
}

bool SqliteStore::StillUnlocked(const WitnessUnlock& printed) {
  std::vector<WitnessUnlock> now =
      SelectWitnessUnlocks(session_, printed.visit_id, printed.form_id);
  return !now.empty() && now.front().unlocked_at == printed.unlocked_at &&
         now.front().unlocked_by == printed.unlocked_by;
}

std::optional<SubmissionRecord> SqliteStore::FilledForVisit(const std::string& visit_id,
                                                            const std::string& form_id) {
  if (visit_id.empty()) return std::nullopt;
  Filter filter;
  filter.Add("s.visit_id = ?", {visit_id});
  filter.Add("s.form_id = ?", {form_id});
  std::vector<SubmissionRecord> found = SelectSubmissions(session_, "", filter, "", 1);
  if (found.empty()) return std::nullopt;
  return found.front();
}

void SqliteStore::Insert(const SubmissionRecord& r, const std::string& pdf,
                         const FormDefinition& form) {
  Poco::Data::BLOB xml = ToBlob(form.xml);
  session_ << "INSERT OR IGNORE INTO definitions (form_id, version, sha256, xml, first_used_at) "
              "VALUES (?, ?, ?, ?, ?)",
      useRef(form.id), useRef(form.version), useRef(form.sha256_hex), useRef(xml),
      useRef(r.received_at), now;
  std::string reasons = JoinLines(r.reasons);
  std::string outcome = ToString(r.outcome);
  Poco::Data::BLOB pdf_blob = ToBlob(pdf);
  int needs_review = r.needs_review ? 1 : 0;
  session_ << "INSERT INTO submissions (id, form_id, form_version, form_sha256, language, "
              "received_at, outcome, reasons, content_json, content_sha256, pdf, pdf_sha256, "
              "visit_id, needs_review) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      useRef(r.id), useRef(r.form_id), useRef(r.form_version), useRef(r.form_sha256),
      useRef(r.language), useRef(r.received_at), useRef(outcome), useRef(reasons),
      useRef(r.content_json), useRef(r.content_sha256), useRef(pdf_blob), useRef(r.pdf_sha256),
      useRef(r.visit_id), useRef(needs_review), now;
}

AuditEvent SqliteStore::AppendEventLocked(const Actor& actor, const std::string& action,
                                          const std::string& object, const std::string& detail) {
  AuditEvent e;
  e.prev_hash = kGenesisHash;
  Poco::Data::Statement last(session_);
  last << "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", into(e.seq), into(e.prev_hash);
  last.execute();
  e.seq += 1;
  e.at = UtcNow();
  e.actor = actor;
  e.action = action;
  e.object = object;
  e.detail = detail;
  e.hash = AuditHash(e.prev_hash, e);
  session_ << "INSERT INTO audit (seq, at, actor, action, object, detail, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      useRef(e.seq), useRef(e.at), useRef(e.actor), useRef(e.action), useRef(e.object),
      useRef(e.detail), useRef(e.prev_hash), useRef(e.hash), now;
  return e;
}

AuditEvent SqliteStore::RecordEvent(const Actor& actor, const std::string& action,
                                    const std::string& object, const std::string& detail) {
  auto lock = LockWriter();
  try {
    WriteTransaction transaction(session_, guard_.get());
    AuditEvent event = AppendEventLocked(actor, action, object, detail);
    transaction.Commit();
    return event;
  } catch (const Poco::Exception& e) {
    Fail("recording audit event " + action, e);
  }
}

std::optional<SubmissionRecord> SqliteStore::FindIn(Poco::Data::Session& session,
                                                    const std::string& id) {
  SubmissionRow row;
  Poco::Data::Statement select(session);
  select << SubmissionSql("", " WHERE s.id = ?");
  BindSubmissionRow(select, row);
  select, useRef(id);
  if (select.execute() == 0) return std::nullopt;
  return row.Take();
}

std::optional<SubmissionRecord> SqliteStore::Find(const std::string& id) {
  auto lock = LockReader();
  try {
    return FindIn(*reader_, id);
  } catch (const Poco::Exception& e) {
    Fail("reading submission " + id, e);
  }
}

std::optional<std::string> SqliteStore::FindPdf(const std::string& id) {
  auto lock = LockReader();
  try {
    Poco::Data::BLOB pdf;
    Poco::Data::Statement select(*reader_);
    select << std::string("SELECT ") + kCurrentPdf + kSubmissionsWithReviews + " WHERE s.id = ?",
        into(pdf), useRef(id);
    if (select.execute() == 0) return std::nullopt;
    return FromBlob(pdf);
  } catch (const Poco::Exception& e) {
    Fail("reading the PDF of submission " + id, e);
  }
}

// Streaming reads use their own connection in one read transaction: the
// export sees one consistent snapshot, and the server's connection stays
// free for submissions while a long export runs (WAL allows both).
void SqliteStore::ForEachSubmission(const std::string& from, const std::string& to,
                                    const SubmissionVisitor& visit) {
  std::exception_ptr visit_error;
  if (guard_) guard_->Check();
  try {
    Poco::Data::Session reader = Open(path_, options_, live_);
    reader << "BEGIN", now;
    std::string low = from, high = to.empty() ? std::string("\x7f") : to;
    SubmissionRow row;
    Poco::Data::BLOB pdf;
    Poco::Data::Statement select(reader);
    select << SubmissionSql(std::string(", ") + kCurrentPdf,
                            " WHERE s.received_at >= ? AND s.received_at < ? "
                            "ORDER BY s.received_at, s.id");
    BindSubmissionRow(select, row);
    select, into(pdf), useRef(low), useRef(high), Poco::Data::Keywords::limit(1);
    while (!select.done()) {
      if (select.execute() == 0) break;
      if (!CallVisitor([&] { visit(row.Take(), FromBlob(pdf)); }, visit_error)) break;
    }
    if (!visit_error) reader << "COMMIT", now;
  } catch (const Poco::Exception& e) {
    Fail("reading submissions for export", e);
  }
  if (visit_error) std::rethrow_exception(visit_error);
}

void SqliteStore::ForEachAuditEvent(std::int64_t first_seq, std::int64_t last_seq,
                                    const std::function<void(const AuditEvent&)>& visit) {
  std::exception_ptr visit_error;
  if (guard_) guard_->Check();
  try {
    Poco::Data::Session reader = Open(path_, options_, live_);
    reader << "BEGIN", now;
    std::int64_t high = last_seq > 0 ? last_seq : std::numeric_limits<std::int64_t>::max();
    AuditEvent e;
    Poco::Data::Statement select(reader);
    select << "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit "
              "WHERE seq >= ? AND seq <= ? ORDER BY seq",
        into(e.seq), into(e.at), into(e.actor), into(e.action), into(e.object), into(e.detail),
        into(e.prev_hash), into(e.hash), useRef(first_seq), useRef(high),
        Poco::Data::Keywords::limit(1);
    while (!select.done()) {
      if (select.execute() == 0) break;
      if (!CallVisitor([&] { visit(e); }, visit_error)) break;
    }
    if (!visit_error) reader << "COMMIT", now;
  } catch (const Poco::Exception& e) {
    Fail("reading the audit log", e);
  }
  if (visit_error) std::rethrow_exception(visit_error);
}

std::int64_t SqliteStore::LastAuditSeq() {
  auto lock = LockWriter();
  try {
    std::int64_t seq = 0;
    session_ << "SELECT COALESCE(MAX(seq), 0) FROM audit", into(seq), now;
    return seq;
  } catch (const Poco::Exception& e) {
    Fail("reading the audit log", e);
  }
}

std::optional<std::string> SqliteStore::DefinitionXml(const std::string& form_id,
                                                      const std::string& version) {
  auto lock = LockWriter();
  try {
    Poco::Data::BLOB xml;
    Poco::Data::Statement select(session_);
    select << "SELECT xml FROM definitions WHERE form_id = ? AND version = ?", into(xml),
        useRef(form_id), useRef(version);
    if (select.execute() == 0) return std::nullopt;
    return FromBlob(xml);
  } catch (const Poco::Exception& e) {
    Fail("reading definition " + form_id + " " + version, e);
  }
}

std::optional<std::string> SqliteStore::PinnedDefinitionHash(const std::string& form_id,
                                                             const std::string& version) {
  auto lock = LockWriter();
  try {
    std::string sha256;
    Poco::Data::Statement select(session_);
    select << "SELECT sha256 FROM definitions WHERE form_id = ? AND version = ?", into(sha256),
        useRef(form_id), useRef(version);
    if (select.execute() == 0) return std::nullopt;
    return sha256;
  } catch (const Poco::Exception& e) {
    Fail("reading definition " + form_id + " " + version, e);
  }
}

std::size_t SqliteStore::CountSubmissions() {
  auto lock = LockWriter();
  try {
    Poco::Int64 count = 0;
    session_ << "SELECT COUNT(*) FROM submissions", into(count), now;
    return static_cast<std::size_t>(count);
  } catch (const Poco::Exception& e) {
    Fail("counting submissions", e);
  }
}

void SqliteStore::AddToken(const Token& t, const Actor& actor) {
  auto lock = LockWriter();
  try {
    WriteTransaction transaction(session_, guard_.get());
    std::string role = ToString(t.role);
    session_ << "INSERT INTO tokens (id, name, role, secret_sha256, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
        useRef(t.id), useRef(t.name), useRef(role), useRef(t.secret_sha256), useRef(t.created_at),
        now;
    AppendEventLocked(actor, "token.created", t.id, TokenCreatedDetail(t));
    transaction.Commit();
  } catch (const Poco::Exception& e) {
    Fail("creating token " + t.id, e);
  }
}

std::vector<Token> SqliteStore::SelectTokens(Poco::Data::Session& session, const std::string& where,
                                             const std::string& id) {
  std::vector<Token> tokens;
  Token t;
  std::string role;
  Poco::Data::Statement select(session);
  select << "SELECT id, name, role, secret_sha256, created_at, revoked_at FROM tokens " + where +
                " ORDER BY created_at, id",
      into(t.id), into(t.name), into(role), into(t.secret_sha256), into(t.created_at),
      into(t.revoked_at), Poco::Data::Keywords::limit(1);
  if (!id.empty()) select, useRef(id);
  while (!select.done()) {
    if (select.execute() == 0) break;
    auto parsed = ParseRole(role);
    if (!parsed) throw StoreError(path_ + ": token " + t.id + " has unknown role " + role);
    t.role = *parsed;
    tokens.push_back(t);
  }
  return tokens;
}

std::optional<Token> SqliteStore::FindToken(const std::string& id) {
  auto lock = LockReader();
  try {
    std::vector<Token> found = SelectTokens(*reader_, "WHERE id = ?", id);
    if (found.empty()) return std::nullopt;
    return found.front();
  } catch (const Poco::Exception& e) {
    Fail("reading token " + id, e);
  }
}

std::vector<Token> SqliteStore::Tokens() {
  auto lock = LockWriter();
  try {
    return SelectTokens(session_, "", "");
  } catch (const Poco::Exception& e) {
    Fail("listing tokens", e);
  }
}

bool SqliteStore::RevokeToken(const std::string& id, const Actor& actor) {
  auto lock = LockWriter();
  try {
    WriteTransaction transaction(session_, guard_.get());
    std::string at = UtcNow();
    Poco::Data::Statement update(session_);
    update << "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at = ''", useRef(at),
        useRef(id);
    if (update.execute() == 0) return false;
    AppendEventLocked(actor, "token.revoked", id, TokenRevokedDetail(at));
    transaction.Commit();
    return true;
  } catch (const Poco::Exception& e) {
    Fail("revoking token " + id, e);
  }
}

std::vector<SubmissionRecord> SqliteStore::SelectSubmissions(Poco::Data::Session& session,
                                                             const std::string& joins,
                                                             Filter& filter,
                                                             const std::string& order, int limit) {
  std::vector<SubmissionRecord> records;
  SubmissionRow row;
  Poco::Data::Statement select(session);
  select << SubmissionSql("", joins + filter.sql() + " " + order + (limit > 0 ? " LIMIT ?" : ""));
  BindSubmissionRow(select, row);
  filter.Bind(select);
  if (limit > 0) select, useRef(limit);
  EachRow(select, [&] { records.push_back(row.Take()); });
  return records;
}

// On the writer's connection, like Tokens(): the by-id lookups keep the
// reader to themselves.
Page<SubmissionRecord> SqliteStore::ListSubmissions(const SubmissionQuery& q) {
  Filter filter;
  filter.AddRange("s.received_at", q.from, q.to);
  if (!q.form_id.empty()) filter.Add("s.form_id = ?", {q.form_id});
  if (q.outcome) filter.Add("s.outcome = ?", {ToString(*q.outcome)});
  if (q.reviewed) {
    filter.Add(*q.reviewed ? "r.submission_id IS NOT NULL"
                           : "s.needs_review = 1 AND r.submission_id IS NULL");
  }
  if (!q.visit_id.empty()) filter.Add("s.visit_id = ?", {q.visit_id});
  AddPatientVisits(filter, q.patient);
  AddCursor(filter, q.after, "s.received_at", "s.id");
  int limit = PageSize(q.limit);
  std::string joins;
  auto lock = LockWriter();
  try {
    return ToPage(SelectSubmissions(session_, joins, filter,
                                    "ORDER BY s.received_at DESC, s.id DESC", limit + 1),
                  limit, [](const SubmissionRecord& r) { return MakeCursor(r.received_at, r.id); });
  } catch (const Poco::Exception& e) {
    Fail("listing submissions", e);
  }
}

std::vector<SubmissionRecord> SqliteStore::SubmissionsOfVisit(const std::string& visit_id) {
  Filter filter;
  filter.Add("s.visit_id = ?", {visit_id});
  auto lock = LockReader();
  try {
    return SelectSubmissions(*reader_, "", filter, "ORDER BY s.received_at, s.id");
  } catch (const Poco::Exception& e) {
    Fail("reading the submissions of visit " + visit_id, e);
  }
}

void SqliteStore::AddVisit(const Visit& v, const Actor& actor) {
  auto lock = LockWriter();
  try {
    WriteTransaction transaction(session_, guard_.get());
    std::string forms = JoinLines(v.form_ids);
    std::string key = NameKey(v.patient.name);
    session_ << std::string("INSERT INTO visits (") + kVisitColumns +
                    ", patient_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        useRef(v.id), useRef(v.created_at), useRef(v.created_by), useRef(v.patient.name),
        useRef(v.patient.date_of_birth), useRef(v.patient.number), useRef(forms), useRef(key), now;
    // The audit log goes into compliance archives: no patient identity in it.
    AppendEventLocked(actor, "visit.created", v.id, "forms=" + JoinLines(v.form_ids, ","));
    transaction.Commit();
  } catch (const Poco::Exception& e) {
    Fail("creating visit " + v.id, e);
  }
}

std::vector<Visit> SqliteStore::SelectVisits(Poco::Data::Session& session, Filter& filter,
                                             const std::string& order, int limit) {
  std::vector<Visit> visits;
  VisitRow row;
  Poco::Data::Statement select(session);
  select << std::string("SELECT ") + kVisitColumns + " FROM visits" + filter.sql() + " " + order +
                (limit > 0 ? " LIMIT ?" : "");
  BindVisitRow(select, row);
  filter.Bind(select);
  if (limit > 0) select, useRef(limit);
  EachRow(select, [&] { visits.push_back(row.Take()); });
  return visits;
}

std::optional<Visit> SqliteStore::FindVisit(const std::string& id) {
  Filter filter;
  filter.Add("id = ?", {id});
  auto lock = LockReader();
  try {
    std::vector<Visit> found = SelectVisits(*reader_, filter, "");
    if (found.empty()) return std::nullopt;
    return found.front();
  } catch (const Poco::Exception& e) {
    Fail("reading visit " + id, e);
  }
}

Page<Visit> SqliteStore::ListVisits(const VisitQuery& q) {
  Filter filter;
  filter.AddRange("created_at", q.from, q.to);
  AddPatient(filter, q.patient, "visits");
  AddCursor(filter, q.after, "created_at", "id");
  int limit = PageSize(q.limit);
  auto lock = LockWriter();
  try {
    return ToPage(SelectVisits(session_, filter, "ORDER BY created_at DESC, id DESC", limit + 1),
                  limit, [](const Visit& v) { return MakeCursor(v.created_at, v.id); });
  } catch (const Poco::Exception& e) {
    Fail("listing visits", e);
  }
}

// Under the write lock: nothing can review it between this and the insert.
bool SqliteStore::Reviewable(const std::string& submission_id) {
  int count = 0;
  session_ << std::string("SELECT COUNT(*)") + kSubmissionsWithReviews +
                  " WHERE s.id = ? AND r.submission_id IS NULL",
      into(count), useRef(submission_id), now;
  return count == 1;
}

void SqliteStore::InsertReview(const Review& r, const std::string& pdf) {
  Poco::Data::BLOB blob = ToBlob(pdf);
  session_ << "INSERT INTO reviews (submission_id, decision, note, practitioner, "
              "practitioner_name, reviewed_at, pdf, pdf_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      useRef(r.submission_id), useRef(r.decision), useRef(r.note), useRef(r.practitioner),
      useRef(r.practitioner_name), useRef(r.reviewed_at), useRef(blob), useRef(r.pdf_sha256), now;
}

// mutex_ serialises this audit append with the group commit's and
// RecordEvent's; BEGIN IMMEDIATE with other processes'.
bool SqliteStore::PutReview(const Review& review, const std::string& pdf, const Actor& actor) {
  auto lock = LockWriter();
  try {
    WriteTransaction transaction(session_, guard_.get());
    if (!Reviewable(review.submission_id)) return false;
    InsertReview(review, pdf);
    AppendEventLocked(actor, "submission.reviewed", review.submission_id,
                      "decision=" + review.decision + ";pdf_sha256=" + review.pdf_sha256);
    transaction.Commit();
    return true;
  } catch (const Poco::Exception& e) {
    Fail("storing the review of submission " + review.submission_id, e);
  }
}

void SqliteStore::AddInvite(const Invite& i, const Actor& actor) {
  auto lock = LockWriter();
  try {
    WriteTransaction transaction(session_, guard_.get());
    session_ << "INSERT INTO invites (id, visit_id, secret_sha256, created_at, created_by, "
                "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        useRef(i.id), useRef(i.visit_id), useRef(i.secret_sha256), useRef(i.created_at),
        useRef(i.created_by), useRef(i.expires_at), now;
    AppendEventLocked(actor, "invite.created", i.id, InviteCreatedDetail(i));
    transaction.Commit();
  } catch (const Poco::Exception& e) {
    Fail("creating invite " + i.id, e);
  }
}

std::vector<Invite> SqliteStore::SelectInvites(Poco::Data::Session& session,
                                               const std::string& column,
                                               const std::string& value) {
  std::vector<Invite> invites;
  Invite i;
  Poco::Data::Statement select(session);
  std::string where = column.empty() ? "" : " WHERE " + column + " = ?";
  select << std::string("SELECT ") + kInviteColumns + " FROM invites" + where +
                " ORDER BY created_at, id";
  BindInvite(select, i);
  if (!column.empty()) select, useRef(value);
  EachRow(select, [&] { invites.push_back(i); });
  return invites;
}

std::optional<Invite> SqliteStore::FindInvite(const std::string& id) {
  auto lock = LockReader();
  try {
    std::vector<Invite> found = SelectInvites(*reader_, "id", id);
    if (found.empty()) return std::nullopt;
    return found.front();
  } catch (const Poco::Exception& e) {
    Fail("reading invite " + id, e);
  }
}

std::vector<Invite> SqliteStore::InvitesOfVisit(const std::string& visit_id) {
  auto lock = LockReader();
  try {
    return SelectInvites(*reader_, "visit_id", visit_id);
  } catch (const Poco::Exception& e) {
    Fail("reading the invites of visit " + visit_id, e);
  }
}

bool SqliteStore::RevokeInvite(const std::string& id, const Actor& actor) {
  auto lock = LockWriter();
  try {
    WriteTransaction transaction(session_, guard_.get());
    std::string at = UtcNow();
    Poco::Data::Statement update(session_);
    update << "UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at = ''", useRef(at),
        useRef(id);
    if (update.execute() == 0) return false;
    AppendEventLocked(actor, "invite.revoked", id, InviteRevokedDetail(at));
    transaction.Commit();
    return true;
  } catch (const Poco::Exception& e) {
    Fail("revoking invite " + id, e);
  }
}

std::vector<WitnessUnlock> SqliteStore::SelectWitnessUnlocks(Poco::Data::Session& session,
                                                             const std::string& visit_id,
                                                             const std::string& form_id) {
  std::vector<WitnessUnlock> unlocks;
  WitnessUnlock w;
  Poco::Data::Statement select(session);
  select << std::string("SELECT ") + kWitnessColumns +
                " FROM witness_unlocks WHERE visit_id = ? AND (? = '' OR form_id = ?) "
                "ORDER BY unlocked_at, form_id";
  BindWitness(select, w);
  select, useRef(visit_id), useRef(form_id), useRef(form_id);
  EachRow(select, [&] { unlocks.push_back(w); });
  return unlocks;
}

WitnessUnlock SqliteStore::UnlockWitness(const WitnessUnlock& w, const Actor& actor) {
  auto lock = LockWriter();
  try {
    WriteTransaction transaction(session_, guard_.get());
    std::vector<WitnessUnlock> earlier = SelectWitnessUnlocks(session_, w.visit_id, w.form_id);
    if (!earlier.empty()) return earlier.front();
    session_ << "INSERT INTO witness_unlocks (visit_id, form_id, unlocked_by, unlocked_by_name, "
                "unlocked_at) VALUES (?, ?, ?, ?, ?)",
        useRef(w.visit_id), useRef(w.form_id), useRef(w.unlocked_by), useRef(w.unlocked_by_name),
        useRef(w.unlocked_at), now;
    AppendEventLocked(actor, "witness.unlocked", w.visit_id, "form=" + w.form_id);
    transaction.Commit();
    return w;
  } catch (const Poco::Exception& e) {
    Fail("unlocking the witness step of form " + w.form_id + " in visit " + w.visit_id, e);
  }
}

bool SqliteStore::LockWitness(const std::string& visit_id, const std::string& form_id,
                              const Actor& actor) {
  auto lock = LockWriter();
  try {
    WriteTransaction transaction(session_, guard_.get());
    if (FilledForVisit(visit_id, form_id)) return false;  // its record is made
    Poco::Data::Statement remove(session_);
    remove << "DELETE FROM witness_unlocks WHERE visit_id = ? AND form_id = ?", useRef(visit_id),
        useRef(form_id);
    if (remove.execute() == 0) return false;
    AppendEventLocked(actor, "witness.locked", visit_id, "form=" + form_id);
    transaction.Commit();
    return true;
  } catch (const Poco::Exception& e) {
    Fail("locking the witness step of form " + form_id + " in visit " + visit_id, e);
  }
}

std::vector<WitnessUnlock> SqliteStore::WitnessUnlocksOfVisit(const std::string& visit_id) {
  auto lock = LockReader();
  try {
    return SelectWitnessUnlocks(*reader_, visit_id, "");
  } catch (const Poco::Exception& e) {
    Fail("reading the witness steps of visit " + visit_id, e);
  }
}

// Replaces the tablet's earlier hand-off, if any.
void SqliteStore::SetHandoff(const std::string& tablet_token_id, const std::string& visit_id,
                             const Actor& actor) {
  auto lock = LockWriter();
  try {
    WriteTransaction transaction(session_, guard_.get());
    std::string at = UtcNow();
    session_ << "INSERT OR REPLACE INTO handoffs (tablet_token_id, visit_id, at, by) "
                "VALUES (?, ?, ?, ?)",
        useRef(tablet_token_id), useRef(visit_id), useRef(at), useRef(actor), now;
    AppendEventLocked(actor, "kiosk.handoff", tablet_token_id, "visit=" + visit_id);
    transaction.Commit();
  } catch (const Poco::Exception& e) {
    Fail("handing visit " + visit_id + " to tablet " + tablet_token_id, e);
  }
}

std::optional<std::string> SqliteStore::FindHandoff(const std::string& tablet_token_id) {
  auto lock = LockReader();
  try {
    std::string visit_id;
    Poco::Data::Statement select(*reader_);
    select << "SELECT visit_id FROM handoffs WHERE tablet_token_id = ?", into(visit_id),
        useRef(tablet_token_id);
    if (select.execute() == 0) return std::nullopt;
    return visit_id;
  } catch (const Poco::Exception& e) {
    Fail("reading the hand-off of tablet " + tablet_token_id, e);
  }
}

bool SqliteStore::ClearHandoff(const std::string& tablet_token_id, const std::string& visit_id,
                               const Actor& actor) {
  auto lock = LockWriter();
  try {
    WriteTransaction transaction(session_, guard_.get());
    std::string shown;
    Poco::Data::Statement select(session_);
    select << "SELECT visit_id FROM handoffs WHERE tablet_token_id = ?", into(shown),
        useRef(tablet_token_id);
    // Nothing to clear, or another visit's: nothing to record.
    if (select.execute() == 0 || (!visit_id.empty() && shown != visit_id)) return false;
    session_ << "DELETE FROM handoffs WHERE tablet_token_id = ?", useRef(tablet_token_id), now;
    AppendEventLocked(actor, "kiosk.cleared", tablet_token_id, "visit=" + shown);
    transaction.Commit();
    return true;
  } catch (const Poco::Exception& e) {
    Fail("clearing the hand-off of tablet " + tablet_token_id, e);
  }
}

std::vector<Invite> SqliteStore::Invites() {
  auto lock = LockReader();
  try {
    return SelectInvites(*reader_, "", "");
  } catch (const Poco::Exception& e) {
    Fail("listing invites", e);
  }
}

std::vector<std::string> SqliteStore::SubmissionIds() {
  auto lock = LockReader();
  try {
    std::vector<std::string> ids;
    std::string id;
    Poco::Data::Statement select(*reader_);
    select << "SELECT id FROM submissions ORDER BY id", into(id);
    EachRow(select, [&] { ids.push_back(id); });
    return ids;
  } catch (const Poco::Exception& e) {
    Fail("listing submission ids", e);
  }
}

// A checkpoint comes every so many events and minutes: the marker follows
// it, an fsync at that pace rather than one per submission.
void SqliteStore::AddCheckpoint(const Checkpoint& c) {
  auto lock = LockWriter();
  try {
    session_ << "INSERT OR IGNORE INTO checkpoints (seq, last_hash, at, signature) "
                "VALUES (?, ?, ?, ?)",
        useRef(c.seq), useRef(c.last_hash), useRef(c.at), useRef(c.signature), now;
  } catch (const Poco::Exception& e) {
    Fail("storing the checkpoint of audit event " + std::to_string(c.seq), e);
  }
  if (guard_) guard_->Check();
  if (options_.guard_with_marker) Mark();
}

std::optional<Checkpoint> SqliteStore::LatestCheckpoint() {
  std::optional<Checkpoint> latest;
  auto lock = LockReader();
  try {
    Checkpoint c;
    Poco::Data::Statement select(*reader_);
    select << "SELECT seq, last_hash, at, signature FROM checkpoints ORDER BY seq DESC LIMIT 1",
        into(c.seq), into(c.last_hash), into(c.at), into(c.signature);
    if (select.execute() > 0) latest = c;
  } catch (const Poco::Exception& e) {
    Fail("reading the latest checkpoint", e);
  }
  return latest;
}

void SqliteStore::ForEachCheckpoint(const std::function<void(const Checkpoint&)>& visit) {
  std::exception_ptr visit_error;
  if (guard_) guard_->Check();
  try {
    Poco::Data::Session reader = Open(path_, options_, live_);
    reader << "BEGIN", now;
    Checkpoint c;
    Poco::Data::Statement select(reader);
    select << "SELECT seq, last_hash, at, signature FROM checkpoints ORDER BY seq", into(c.seq),
        into(c.last_hash), into(c.at), into(c.signature), Poco::Data::Keywords::limit(1);
    while (!select.done()) {
      if (select.execute() == 0) break;
      if (!CallVisitor([&] { visit(c); }, visit_error)) break;
    }
    if (!visit_error) reader << "COMMIT", now;
  } catch (const Poco::Exception& e) {
    Fail("reading the checkpoints", e);
  }
  if (visit_error) std::rethrow_exception(visit_error);
}

std::vector<std::string> SqliteStore::CheckIntegrity(std::size_t max_problems) {
  auto lock = LockReader();
  try {
    std::vector<std::string> problems;
    std::string line;
    Poco::Data::Statement check(*reader_);
    check << "PRAGMA integrity_check(" + std::to_string(std::max<std::size_t>(max_problems, 1)) +
                 ")",
        into(line);
    EachRow(check, [&] { problems.push_back(line); });
    if (problems.size() == 1 && problems.front() == "ok") problems.clear();
    return problems;
  } catch (const Poco::Exception& e) {
    // A database too damaged to check is itself the finding.
    return {"the integrity check could not run: " + e.displayText()};
  }
}

// Before anything creates the file: a marked database must be there.
void RequireMarkedDatabase(const std::string& path) {
  std::string marker_path = MarkerPath(path);
  // Whatever head it names: even a chain marked empty may have grown since
  // (tokens, submissions) before the marker was next written.
  std::optional<DatabaseMarker> marker = ReadMarker(marker_path);
  if (!marker) return;
  struct stat info {};
  bool missing = stat(path.c_str(), &info) != 0;
  if (!missing && info.st_size > 0) return;  // HoldToMarker reads it
  std::string what =
      marker->seq == 0
          ? std::string("(its audit chain empty when marked ") + marker->written_at + ")"
          : "with audit events up to " + std::to_string(marker->seq) + " (hash " +
                marker->hash.substr(0, 16) + "…, marked " + marker->written_at + ")";
  throw StoreError(path + (missing ? " is missing" : " is empty") + ", but " + marker_path +
                   " says a database was here " + what +
                   "; put it back (with its -wal file), or start with --new-database to begin "
                   "an empty one on purpose");
}

// SQLite opens a WAL index it cannot write read-only, and every write then
// fails: refuse at once, naming the file, rather than serve 500s.
void RequireWritableWalIndex(const std::string& path) {
  std::string shm = path + "-shm";
  if (access(shm.c_str(), F_OK) != 0) return;  // SQLite makes it
  if (access(shm.c_str(), R_OK | W_OK) != 0) {
    throw StoreError(shm + ": the database's WAL index is not writable: " + std::strerror(errno) +
                     "; it must be readable and writable by the user consentkit runs as (check "
                     "its mode, owner and `lsattr` flags)");
  }
  struct stat info {};
  if (stat(shm.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    throw StoreError(shm + ": the database's WAL index is not a regular file");
  }
}

}  // namespace

std::unique_ptr<Store> OpenSqliteStore(const std::string& data_dir, const SqliteOptions& options) {
  struct stat info {};
  if (stat(data_dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    throw StoreError("data folder " + data_dir + " does not exist; expected a folder for " +
                     "consentkit.db");
  }
  // Patient records: create the file owner-only before SQLite does, so it
  // and its -wal and -shm files (which copy its mode) are never world-readable.
  std::string path = data_dir + "/consentkit.db";
  if (options.read_only) {
    if (stat(path.c_str(), &info) != 0) {
      throw StoreError(path + ": no database to read: " + std::strerror(errno));
    }
    return std::make_unique<SqliteStore>(path, options);
  }
  if (options.guard_with_marker && !options.new_database) RequireMarkedDatabase(path);
  RequireWritableWalIndex(path);
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw StoreError(path + ": cannot open database: " + std::strerror(errno));
  close(fd);
  return std::make_unique<SqliteStore>(path, options);
}

}  // namespace consentkit
