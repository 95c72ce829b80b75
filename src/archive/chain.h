// Private to the archive module: the checks both verifiers share. The audit
// chain is walked the same way whether its events come from the database or
// from an archive's audit.jsonl, so both report a tampered event alike.
#ifndef CONSENTKIT_ARCHIVE_CHAIN_H_
#define CONSENTKIT_ARCHIVE_CHAIN_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "archive/archive.h"
#include "store/store.h"

namespace consentkit {

// The problems a verify run finds, in the order found.
class Findings {
 public:
  void Add(const std::string& problem);
  bool empty() const { return count_ == 0; }
  std::size_t count() const { return count_; }
  // Sets ok, first_problem, problems and problem_count of `report`.
  void Fill(VerifyReport& report) const;

 private:
  std::vector<std::string> problems_;
  std::size_t count_ = 0;
};

// "1 submission", "2 submissions".
std::string Plural(std::size_t n, const std::string& singular, const std::string& plural);

// What a "submission.stored" event anchors about its submission.
struct StoredEvent {
  std::int64_t seq = 0;
  std::string at;
  std::string pdf_sha256;
  std::string content_sha256;
  std::int64_t duplicate_seq = 0;  // a second stored event for the same id, if any
  bool matched = false;            // a row or an archived PDF was found for it
};

constexpr char kStoredAction[] = "submission.stored";

// Reads "pdf_sha256=…;content_sha256=…" (either may be missing: empty).
StoredEvent ParseStoredDetail(const AuditEvent& event);

// Half-open UTC range check on ISO 8601 text; empty bounds are unbounded.
bool InTimeRange(const std::string& at, const std::string& from, const std::string& to);

// Walks an audit chain event by event in seq order: each seq follows the
// last, each prev_hash is the previous event's stored hash, each hash
// recomputes. Remembers every "submission.stored" event by submission id
// (about 200 bytes each).
class ChainChecker {
 public:
  // `first_seq` and `anchor_hash` are what the first event must have as its
  // seq and prev_hash (1 and kGenesisHash for a whole log).
  ChainChecker(std::int64_t first_seq, std::string anchor_hash, Findings& findings);

  void Add(const AuditEvent& event);

  std::size_t events() const { return events_; }
  std::int64_t next_seq() const { return next_seq_; }
  const std::string& last_hash() const { return last_hash_; }
  std::unordered_map<std::string, StoredEvent>& stored() { return stored_; }
  // Stored events nothing matched, in seq order.
  std::vector<std::pair<std::string, StoredEvent>> Unmatched() const;

 private:
  bool CheckSeq(const AuditEvent& event);
  void CheckHash(const AuditEvent& event, bool after_gap);
  void Remember(const AuditEvent& event);

  Findings& findings_;
  std::int64_t next_seq_;
  std::string last_hash_;
  std::size_t events_ = 0;
  std::unordered_map<std::string, StoredEvent> stored_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_ARCHIVE_CHAIN_H_
