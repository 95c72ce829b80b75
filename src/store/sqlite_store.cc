// The embedded default store: one SQLite file in the data directory.
//
// One connection behind a mutex: SQLite serialises writers anyway, and each
// Put holds the lock only for its short transaction (the PDF is rendered
// before). WAL lets another process (export, verify) read meanwhile.
#include <Poco/Data/LOB.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>

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
};
constexpr int kSchemaVersion = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);

// Reasons are single lines (the loader collapses white space), so a newline
// separates them safely.
std::string JoinReasons(const std::vector<std::string>& reasons) {
  std::string out;
  for (const std::string& r : reasons) out += (out.empty() ? "" : "\n") + r;
  return out;
}

std::vector<std::string> SplitReasons(const std::string& joined) {
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

Outcome ParseOutcome(const std::string& text) {
  for (Outcome o : {Outcome::kSuitable, Outcome::kPractitionerReview, Outcome::kDefer}) {
    if (text == ToString(o)) return o;
  }
  throw StoreError("stored outcome \"" + text + "\" is not one consentkit knows");
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
// (export, tokens) between its read and its write.
class WriteTransaction {
 public:
  explicit WriteTransaction(Poco::Data::Session& session) : session_(session) {
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
  }

 private:
  Poco::Data::Session& session_;
  bool open_ = true;
};

const char kSubmissionColumns[] =
    "id, form_id, form_version, form_sha256, language, received_at, outcome, reasons, "
    "content_json, content_sha256, pdf_sha256";

// One row of `submissions` as bound variables, turned into a record.
struct SubmissionRow {
  SubmissionRecord r;
  std::string outcome, reasons;
  SubmissionRecord Take() {
    r.outcome = ParseOutcome(outcome);
    r.reasons = SplitReasons(reasons);
    return r;
  }
};

void BindSubmissionRow(Poco::Data::Statement& select, SubmissionRow& row) {
  SubmissionRecord& r = row.r;
  select, into(r.id), into(r.form_id), into(r.form_version), into(r.form_sha256), into(r.language),
      into(r.received_at), into(row.outcome), into(row.reasons), into(r.content_json),
      into(r.content_sha256), into(r.pdf_sha256);
}

class SqliteStore : public Store {
 public:
  SqliteStore(const std::string& path, const SqliteOptions& options)
      : path_(path), options_(options), session_(Open(path, options)) {
    Migrate();
    reader_.emplace(Open(path, options));
  }

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

 private:
  static Poco::Data::Session Open(const std::string& path, const SqliteOptions& options);
  void Migrate();
  static std::optional<SubmissionRecord> FindIn(Poco::Data::Session& session,
                                                const std::string& id);
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
  std::mutex mutex_;  // the connection
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

Poco::Data::Session SqliteStore::Open(const std::string& path, const SqliteOptions& options) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
  try {
    // Poco retries a failed open for the whole connection timeout (60 s by
    // default); a database that cannot open now will not open in a minute.
    Poco::Data::Session session("SQLite", path, /*timeout_s=*/2);
    // Wait for another process's lock (first of all: switching to WAL takes one).
    session << "PRAGMA busy_timeout=10000", now;
    std::string mode;
    session << "PRAGMA journal_mode=WAL", into(mode), now;
    session << (options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF"),
        now;
    session << "PRAGMA foreign_keys=ON", now;
    if (mode != "wal") throw StoreError(path + ": cannot switch to WAL journal (got " + mode + ")");
    return session;
  } catch (const Poco::Exception& e) {
    throw StoreError(path + ": cannot open database: " + e.displayText());
  }
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
      WriteTransaction transaction(session_);
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
    std::lock_guard<std::mutex> lock(mutex_);
    WriteTransaction transaction(session_);
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
  Insert(record, put.pdf, put.form);
  AppendEventLocked(put.actor, "submission.stored", record.id,
                    "pdf_sha256=" + record.pdf_sha256 + ";content_sha256=" + record.content_sha256);
  return {PutStatus::kStored, record};
}

void SqliteStore::Insert(const SubmissionRecord& r, const std::string& pdf,
                         const FormDefinition& form) {
  Poco::Data::BLOB xml = ToBlob(form.xml);
  session_ << "INSERT OR IGNORE INTO definitions (form_id, version, sha256, xml, first_used_at) "
              "VALUES (?, ?, ?, ?, ?)",
      useRef(form.id), useRef(form.version), useRef(form.sha256_hex), useRef(xml),
      useRef(r.received_at), now;
  std::string reasons = JoinReasons(r.reasons);
  std::string outcome = ToString(r.outcome);
  Poco::Data::BLOB pdf_blob = ToBlob(pdf);
  session_ << "INSERT INTO submissions (id, form_id, form_version, form_sha256, language, "
              "received_at, outcome, reasons, content_json, content_sha256, pdf, pdf_sha256) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      useRef(r.id), useRef(r.form_id), useRef(r.form_version), useRef(r.form_sha256),
      useRef(r.language), useRef(r.received_at), useRef(outcome), useRef(reasons),
      useRef(r.content_json), useRef(r.content_sha256), useRef(pdf_blob), useRef(r.pdf_sha256), now;
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
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    WriteTransaction transaction(session_);
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
  select << std::string("SELECT ") + kSubmissionColumns + " FROM submissions WHERE id = ?";
  BindSubmissionRow(select, row);
  select, useRef(id);
  if (select.execute() == 0) return std::nullopt;
  return row.Take();
}

std::optional<SubmissionRecord> SqliteStore::Find(const std::string& id) {
  std::lock_guard<std::mutex> lock(reader_mutex_);
  try {
    return FindIn(*reader_, id);
  } catch (const Poco::Exception& e) {
    Fail("reading submission " + id, e);
  }
}

std::optional<std::string> SqliteStore::FindPdf(const std::string& id) {
  std::lock_guard<std::mutex> lock(reader_mutex_);
  try {
    Poco::Data::BLOB pdf;
    Poco::Data::Statement select(*reader_);
    select << "SELECT pdf FROM submissions WHERE id = ?", into(pdf), useRef(id);
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
  try {
    Poco::Data::Session reader = Open(path_, options_);
    reader << "BEGIN", now;
    std::string low = from, high = to.empty() ? std::string("\x7f") : to;
    SubmissionRow row;
    Poco::Data::BLOB pdf;
    Poco::Data::Statement select(reader);
    select << std::string("SELECT ") + kSubmissionColumns +
                  ", pdf FROM submissions WHERE received_at >= ? AND received_at < ? "
                  "ORDER BY received_at, id";
    BindSubmissionRow(select, row);
    select, into(pdf), useRef(low), useRef(high), Poco::Data::Keywords::limit(1);
    while (!select.done()) {
      if (select.execute() == 0) break;
      visit(row.Take(), FromBlob(pdf));
    }
    reader << "COMMIT", now;
  } catch (const Poco::Exception& e) {
    Fail("reading submissions for export", e);
  }
}

void SqliteStore::ForEachAuditEvent(std::int64_t first_seq, std::int64_t last_seq,
                                    const std::function<void(const AuditEvent&)>& visit) {
  try {
    Poco::Data::Session reader = Open(path_, options_);
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
      visit(e);
    }
    reader << "COMMIT", now;
  } catch (const Poco::Exception& e) {
    Fail("reading the audit log", e);
  }
}

std::int64_t SqliteStore::LastAuditSeq() {
  std::lock_guard<std::mutex> lock(mutex_);
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
  std::lock_guard<std::mutex> lock(mutex_);
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
  std::lock_guard<std::mutex> lock(mutex_);
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
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    Poco::Int64 count = 0;
    session_ << "SELECT COUNT(*) FROM submissions", into(count), now;
    return static_cast<std::size_t>(count);
  } catch (const Poco::Exception& e) {
    Fail("counting submissions", e);
  }
}

void SqliteStore::AddToken(const Token& t, const Actor& actor) {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    WriteTransaction transaction(session_);
    std::string role = ToString(t.role);
    session_ << "INSERT INTO tokens (id, name, role, secret_sha256, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
        useRef(t.id), useRef(t.name), useRef(role), useRef(t.secret_sha256), useRef(t.created_at),
        now;
    AppendEventLocked(actor, "token.created", t.id, "role=" + role);
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
  std::lock_guard<std::mutex> lock(reader_mutex_);
  try {
    std::vector<Token> found = SelectTokens(*reader_, "WHERE id = ?", id);
    if (found.empty()) return std::nullopt;
    return found.front();
  } catch (const Poco::Exception& e) {
    Fail("reading token " + id, e);
  }
}

std::vector<Token> SqliteStore::Tokens() {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    return SelectTokens(session_, "", "");
  } catch (const Poco::Exception& e) {
    Fail("listing tokens", e);
  }
}

bool SqliteStore::RevokeToken(const std::string& id, const Actor& actor) {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    WriteTransaction transaction(session_);
    std::string at = UtcNow();
    Poco::Data::Statement update(session_);
    update << "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at = ''", useRef(at),
        useRef(id);
    if (update.execute() == 0) return false;
    AppendEventLocked(actor, "token.revoked", id, "");
    transaction.Commit();
    return true;
  } catch (const Poco::Exception& e) {
    Fail("revoking token " + id, e);
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
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw StoreError(path + ": cannot open database: " + std::strerror(errno));
  close(fd);
  return std::make_unique<SqliteStore>(path, options);
}

}  // namespace consentkit
