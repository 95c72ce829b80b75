// The embedded default store: one SQLite file in the data directory.
//
// One connection behind a mutex: SQLite serialises writers anyway, and each
// Put holds the lock only for its short transaction (the PDF is rendered
// before). WAL lets another process (export, verify) read meanwhile.
#include <Poco/Data/LOB.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <sys/stat.h>

#include <mutex>

#include "store/store.h"

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

class SqliteStore : public Store {
 public:
  explicit SqliteStore(const std::string& path) : path_(path), session_(Open(path)) { Migrate(); }

  PutResult Put(const SubmissionRecord& record, const std::string& pdf,
                const FormDefinition& form) override;
  std::optional<SubmissionRecord> Find(const std::string& id) override;
  std::optional<std::string> FindPdf(const std::string& id) override;
  std::optional<std::string> PinnedDefinitionHash(const std::string& form_id,
                                                  const std::string& version) override;
  std::size_t CountSubmissions() override;

 private:
  static Poco::Data::Session Open(const std::string& path);
  void Migrate();
  std::optional<SubmissionRecord> FindLocked(const std::string& id);
  void Insert(const SubmissionRecord& record, const std::string& pdf, const FormDefinition& form);
  [[noreturn]] void Fail(const std::string& doing, const Poco::Exception& e) const {
    throw StoreError(path_ + ": " + doing + ": " + e.displayText());
  }

  std::string path_;
  std::mutex mutex_;
  Poco::Data::Session session_;
};

Poco::Data::Session SqliteStore::Open(const std::string& path) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
  try {
    // Poco retries a failed open for the whole connection timeout (60 s by
    // default); a database that cannot open now will not open in a minute.
    Poco::Data::Session session("SQLite", path, /*timeout_s=*/2);
    std::string mode;
    session << "PRAGMA journal_mode=WAL", into(mode), now;
    session << "PRAGMA synchronous=FULL", now;
    session << "PRAGMA foreign_keys=ON", now;
    session << "PRAGMA busy_timeout=10000", now;
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
    for (int next = version; next < kSchemaVersion; ++next) {
      session_.begin();
      session_ << kMigrations[next], now;
      session_ << "PRAGMA user_version=" + std::to_string(next + 1), now;
      session_.commit();
    }
  } catch (const Poco::Exception& e) {
    if (session_.isTransaction()) session_.rollback();
    Fail("applying schema migrations", e);
  }
}

PutResult SqliteStore::Put(const SubmissionRecord& record, const std::string& pdf,
                           const FormDefinition& form) {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    if (auto existing = FindLocked(record.id)) {
      bool same = existing->content_sha256 == record.content_sha256;
      return {same ? PutStatus::kDuplicate : PutStatus::kConflict, *existing};
    }
    session_.begin();
    Insert(record, pdf, form);
    session_.commit();
    return {PutStatus::kStored, record};
  } catch (const Poco::Exception& e) {
    if (session_.isTransaction()) session_.rollback();
    Fail("storing submission " + record.id, e);
  } catch (...) {
    if (session_.isTransaction()) session_.rollback();
    throw;
  }
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

std::optional<SubmissionRecord> SqliteStore::FindLocked(const std::string& id) {
  SubmissionRecord r;
  std::string outcome, reasons;
  std::size_t rows = 0;
  Poco::Data::Statement select(session_);
  select << "SELECT id, form_id, form_version, form_sha256, language, received_at, outcome, "
            "reasons, content_json, content_sha256, pdf_sha256 FROM submissions WHERE id = ?",
      into(r.id), into(r.form_id), into(r.form_version), into(r.form_sha256), into(r.language),
      into(r.received_at), into(outcome), into(reasons), into(r.content_json),
      into(r.content_sha256), into(r.pdf_sha256), useRef(id);
  rows = select.execute();
  if (rows == 0) return std::nullopt;
  r.outcome = ParseOutcome(outcome);
  r.reasons = SplitReasons(reasons);
  return r;
}

std::optional<SubmissionRecord> SqliteStore::Find(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    return FindLocked(id);
  } catch (const Poco::Exception& e) {
    Fail("reading submission " + id, e);
  }
}

std::optional<std::string> SqliteStore::FindPdf(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    Poco::Data::BLOB pdf;
    Poco::Data::Statement select(session_);
    select << "SELECT pdf FROM submissions WHERE id = ?", into(pdf), useRef(id);
    if (select.execute() == 0) return std::nullopt;
    return FromBlob(pdf);
  } catch (const Poco::Exception& e) {
    Fail("reading the PDF of submission " + id, e);
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

}  // namespace

std::unique_ptr<Store> OpenSqliteStore(const std::string& data_dir) {
  struct stat info {};
  if (stat(data_dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    throw StoreError("data folder " + data_dir + " does not exist; expected a folder for " +
                     "consentkit.db");
  }
  return std::make_unique<SqliteStore>(data_dir + "/consentkit.db");
}

}  // namespace consentkit
