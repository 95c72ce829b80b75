// Durable storage of submissions, their PDFs and the definition versions
// they were made against.
//
// One interface, so the service does not care whether a clinic runs on the
// embedded SQLite file or (later) a shared PostgreSQL. Implementations are
// thread-safe and make every Put all-or-nothing: a receipt is only sent after
// its row, PDF and definition are committed together.
#ifndef CONSENTKIT_STORE_STORE_H_
#define CONSENTKIT_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "form/form.h"

namespace consentkit {

// The database could not be opened, migrated, read or written. The message
// names the database and what was being done.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One stored submission, as the receipt and the record API report it.
struct SubmissionRecord {
  std::string id;  // the client-made UUID, lower case
  std::string form_id;
  std::string form_version;
  std::string form_sha256;
  std::string language;
  std::string received_at;  // UTC, ISO 8601 with a trailing Z
  Outcome outcome = Outcome::kSuitable;
  std::vector<std::string> reasons;
  std::string content_json;    // the submission's canonical JSON
  std::string content_sha256;  // of content_json: tells a retry from a conflict
  std::string pdf_sha256;
};

enum class PutStatus {
  kStored,     // new: the record and PDF were committed
  kDuplicate,  // the same id with the same content was already stored
  kConflict,   // the same id was already stored with other content
};

struct PutResult {
  PutStatus status;
  SubmissionRecord record;  // the record now stored under that id
};

// One entry of the audit log, a hash chain: each event's hash covers the
// previous event's hash and this event, so editing, removing or reordering
// any stored event breaks every hash after it.
struct AuditEvent {
  std::int64_t seq = 0;   // 1, 2, 3, … with no gaps
  std::string at;         // UTC, ISO 8601 with a trailing Z
  std::string actor;      // a token id, "cli", or "anonymous"; never a secret
  std::string action;     // e.g. "submission.stored", "pdf.read", "auth.failed"
  std::string object;     // the id acted on; may be empty
  std::string detail;     // facts worth anchoring, e.g. "pdf_sha256=…"; may be empty
  std::string prev_hash;  // hash of event seq-1 (kGenesisHash for seq 1)
  std::string hash;       // AuditHash(prev_hash, *this)
};

// The prev_hash of the first event: 64 zeros.
extern const char kGenesisHash[];
// The event's fixed JSON form {seq, at, actor, action, object, detail} that
// its hash covers, in that key order with no spaces.
std::string CanonicalAuditEvent(const AuditEvent& event);
// Lower-case hex SHA-256 of prev_hash (as 64 hex characters) followed by
// CanonicalAuditEvent(event).
std::string AuditHash(const std::string& prev_hash, const AuditEvent& event);

enum class Role { kTablet, kStaff, kCompliance };
const char* ToString(Role role);
// Parses "tablet", "staff" or "compliance".
std::optional<Role> ParseRole(const std::string& text);

// An API token. Only the SHA-256 of its secret is stored.
struct Token {
  std::string id;  // public, e.g. "tok_3f9a0c1d"; appears in the audit log
  std::string name;
  Role role = Role::kTablet;
  std::string secret_sha256;
  std::string created_at;
  std::string revoked_at;  // empty while the token is valid
};

// What the caller is, for the audit log: a token id, "cli" or "anonymous".
using Actor = std::string;

class Store {
 public:
  virtual ~Store() = default;

  // Stores `record` with its PDF and, unless already kept, the definition
  // it was made against, in one transaction. When the id exists, stores
  // nothing and reports whether the existing content matches.
  // The "submission.stored" audit event (detail: pdf_sha256 and
  // content_sha256) is written in the same transaction.
  virtual PutResult Put(const SubmissionRecord& record, const std::string& pdf,
                        const FormDefinition& form, const Actor& actor) = 0;
  virtual std::optional<SubmissionRecord> Find(const std::string& id) = 0;
  virtual std::optional<std::string> FindPdf(const std::string& id) = 0;
  // Appends one audit event in its own transaction; returns it.
  virtual AuditEvent RecordEvent(const Actor& actor, const std::string& action,
                                 const std::string& object, const std::string& detail = "") = 0;

  // Streaming reads for export and verify: one row in memory at a time,
  // in received_at then id order. `from`/`to` are UTC ISO 8601 bounds,
  // from inclusive, to exclusive; empty means unbounded.
  using SubmissionVisitor =
      std::function<void(const SubmissionRecord& record, const std::string& pdf)>;
  virtual void ForEachSubmission(const std::string& from, const std::string& to,
                                 const SubmissionVisitor& visit) = 0;
  // Events with first_seq <= seq <= last_seq (last_seq 0: to the end), in order.
  virtual void ForEachAuditEvent(std::int64_t first_seq, std::int64_t last_seq,
                                 const std::function<void(const AuditEvent&)>& visit) = 0;
  // The seq of the last event, 0 if there is none.
  virtual std::int64_t LastAuditSeq() = 0;
  // The exact XML kept for a definition version that received submissions.
  virtual std::optional<std::string> DefinitionXml(const std::string& form_id,
                                                   const std::string& version) = 0;

  // Tokens. Creating and revoking write "token.created"/"token.revoked" in
  // the same transaction.
  virtual void AddToken(const Token& token, const Actor& actor) = 0;
  virtual std::optional<Token> FindToken(const std::string& id) = 0;
  virtual std::vector<Token> Tokens() = 0;
  // False if there is no such token or it was already revoked.
  virtual bool RevokeToken(const std::string& id, const Actor& actor) = 0;
  // The hash kept for `form_id` at `version`, if any submission used it.
  // Lets the server refuse a definition whose wording changed without a new
  // version: old submissions must keep pointing at the text they were shown.
  virtual std::optional<std::string> PinnedDefinitionHash(const std::string& form_id,
                                                          const std::string& version) = 0;
  virtual std::size_t CountSubmissions() = 0;
};

struct SqliteOptions {
  // FULL: a committed Put survives power loss. Only test and benchmark
  // fixtures that generate many rows turn this off.
  bool synchronous_full = true;
};

// Opens (creating if needed) the SQLite store "consentkit.db" in `data_dir`,
// which must exist, and applies any pending schema migrations (WAL journal).
std::unique_ptr<Store> OpenSqliteStore(const std::string& data_dir,
                                       const SqliteOptions& options = {});

}  // namespace consentkit

#endif  // CONSENTKIT_STORE_STORE_H_
