// Durable storage of submissions, their PDFs and the definition versions
// they were made against.
//
// One interface, so the service does not care whether a clinic runs on the
// embedded SQLite file or (later) a shared PostgreSQL. Implementations are
// thread-safe and make every Put all-or-nothing: a receipt is only sent after
// its row, PDF and definition are committed together.
#ifndef CONSENTKIT_STORE_STORE_H_
#define CONSENTKIT_STORE_STORE_H_

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

class Store {
 public:
  virtual ~Store() = default;

  // Stores `record` with its PDF and, unless already kept, the definition
  // it was made against, in one transaction. When the id exists, stores
  // nothing and reports whether the existing content matches.
  virtual PutResult Put(const SubmissionRecord& record, const std::string& pdf,
                        const FormDefinition& form) = 0;
  virtual std::optional<SubmissionRecord> Find(const std::string& id) = 0;
  virtual std::optional<std::string> FindPdf(const std::string& id) = 0;
  // The hash kept for `form_id` at `version`, if any submission used it.
  // Lets the server refuse a definition whose wording changed without a new
  // version: old submissions must keep pointing at the text they were shown.
  virtual std::optional<std::string> PinnedDefinitionHash(const std::string& form_id,
                                                          const std::string& version) = 0;
  virtual std::size_t CountSubmissions() = 0;
};

// Opens (creating if needed) the SQLite store "consentkit.db" in `data_dir`,
// which must exist, and applies any pending schema migrations. WAL journal,
// synchronous=FULL: a committed Put survives power loss.
std::unique_ptr<Store> OpenSqliteStore(const std::string& data_dir);

}  // namespace consentkit

#endif  // CONSENTKIT_STORE_STORE_H_
