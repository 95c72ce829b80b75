// Private to the archive module: the checks both verifiers share. The audit
// chain is walked the same way whether its events come from the database or
// from an archive's audit.jsonl, so both report a tampered event alike; a
// reviewed submission's countersigned PDF is judged alike too.
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
  // RecordHash of the record as stored; empty for an event written before
  // record hashes, which anchors neither outcome, reasons, received time
  // nor language.
  std::string record_sha256;
  std::int64_t duplicate_seq = 0;  // a second stored event for the same id, if any
  bool matched = false;            // a row or an archived PDF was found for it
};

constexpr char kStoredAction[] = "submission.stored";

// Reads "pdf_sha256=…;content_sha256=…[;visit=…][;record_sha256=…]" (any
// may be missing: empty).
StoredEvent ParseStoredDetail(const AuditEvent& event);

// What a "submission.reviewed" event anchors about its submission's review.
struct ReviewedEvent {
  std::int64_t seq = 0;
  std::string at;
  std::string decision;
  std::string pdf_sha256;          // of the countersigned PDF
  std::int64_t duplicate_seq = 0;  // a second reviewed event for the same id, if any
  bool matched = false;            // a submission was found for it
};

constexpr char kReviewedAction[] = "submission.reviewed";

// Reads "decision=…;pdf_sha256=…" (either may be missing: empty).
ReviewedEvent ParseReviewedDetail(const AuditEvent& event);

// Half-open UTC range check on ISO 8601 text; empty bounds are unbounded.
bool InTimeRange(const std::string& at, const std::string& from, const std::string& to);

// Walks an audit chain event by event in seq order: each seq follows the
// last, each prev_hash is the previous event's stored hash, each hash
// recomputes. Remembers every "submission.stored" and "submission.reviewed"
// event by submission id (about 200 bytes each).
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
  std::unordered_map<std::string, ReviewedEvent>& reviewed() { return reviewed_; }
  // Stored events nothing matched, in seq order.
  std::vector<std::pair<std::string, StoredEvent>> Unmatched() const;
  // Reviewed events nothing matched, in seq order.
  std::vector<std::pair<std::string, ReviewedEvent>> UnmatchedReviews() const;

 private:
  bool CheckSeq(const AuditEvent& event);
  void CheckHash(const AuditEvent& event, bool after_gap);
  void Remember(const AuditEvent& event);

  Findings& findings_;
  std::int64_t next_seq_;
  std::string last_hash_;
  std::size_t events_ = 0;
  std::unordered_map<std::string, StoredEvent> stored_;
  std::unordered_map<std::string, ReviewedEvent> reviewed_;
};

// The two revisions of a reviewed submission's PDF, as its signatures mark
// them.
struct Revisions {
  // The sealed original: the bytes up to the end of the seal's revision,
  // which the "submission.stored" event anchors. Empty when the seal's byte
  // range cannot be read (already reported).
  std::string original_sha256;
  std::string whole_sha256;  // the whole file, countersignature included
  // The record the seal names (SealCheck::sealed_submission_id and
  // sealed_content_sha256 of the first signature); empty when it names none
  // or does not verify.
  std::string sealed_submission_id = "", sealed_content_sha256 = "";
  bool seal_valid = false;
};

// Checks that a reviewed submission's `pdf` carries exactly two signatures,
// the clinic's seal and then the practitioner's countersignature, each
// valid and made with `trusted_cert_pem`. Each problem goes to `findings`
// as "<subject>: …". Throws SealError if `trusted_cert_pem` cannot check
// signatures at all (see VerifyPdfSignatures).
Revisions CheckCountersignedPdf(const std::string& subject, const std::string& pdf,
                                const std::string& trusted_cert_pem, Findings& findings);

// Holds a review against its "submission.reviewed" event, which it marks
// matched: there must be no second such event, the decision recorded with
// the review must be the event's, and `pdf_sha256` (the countersigned PDF's
// SHA-256; empty when not known, already reported) the one it anchors.
void CheckAgainstReviewedEvent(const std::string& subject, const std::string& id,
                               const std::string& decision, const std::string& pdf_sha256,
                               ReviewedEvent& event, Findings& findings);

// "audit event 9 (submission.reviewed, at …) records a review with decision
// "proceed"": the start of a problem about a review that is not there.
std::string DescribeReviewedEvent(const ReviewedEvent& event);

// For a verify summary: "1 of them was reviewed: its countersignature
// verifies, …", or "none of them was reviewed".
std::string ReviewedText(std::size_t reviewed);

}  // namespace consentkit

#endif  // CONSENTKIT_ARCHIVE_CHAIN_H_
