#include "archive/chain.h"

#include <algorithm>

#include "seal/seal.h"
#include "util/util.h"

namespace consentkit {
namespace {

// How far from its place a reordered event is looked for. Swapping
// neighbours is the usual way to reorder; further moves are still reported,
// as alterations.
constexpr std::int64_t kReorderWindow = 3;

std::string Describe(const AuditEvent& e) {
  return "audit event " + std::to_string(e.seq) + " (" + e.action + ", " + e.at + ")";
}

// The seq an event's hash was computed with, if it is a neighbour's: the
// event is intact but has been moved.
std::int64_t WrittenAsSeq(const AuditEvent& event) {
  AuditEvent moved = event;
  for (std::int64_t d = -kReorderWindow; d <= kReorderWindow; ++d) {
    moved.seq = event.seq + d;
    if (d != 0 && moved.seq > 0 && AuditHash(event.prev_hash, moved) == event.hash) {
      return moved.seq;
    }
  }
  return 0;
}

std::string Short(const std::string& hash) { return hash.substr(0, 16) + "…"; }

std::string DetailField(const std::string& detail, const std::string& name) {
  std::string prefix = name + "=";
  for (std::size_t start = 0; start <= detail.size();) {
    std::size_t end = detail.find(';', start);
    if (end == std::string::npos) end = detail.size();
    if (detail.compare(start, prefix.size(), prefix) == 0) {
      return detail.substr(start + prefix.size(), end - start - prefix.size());
    }
    start = end + 1;
  }
  return {};
}

// Keeps the first event of each submission id, noting a second one.
template <typename Event>
void RememberFirst(std::unordered_map<std::string, Event>& events, const AuditEvent& event,
                   Event parsed) {
  auto [it, inserted] = events.emplace(event.object, std::move(parsed));
  if (!inserted && it->second.duplicate_seq == 0) it->second.duplicate_seq = event.seq;
}

template <typename Event>
std::vector<std::pair<std::string, Event>> UnmatchedOf(
    const std::unordered_map<std::string, Event>& events) {
  std::vector<std::pair<std::string, Event>> unmatched;
  for (const auto& [id, event] : events) {
    if (!event.matched) unmatched.emplace_back(id, event);
  }
  std::sort(unmatched.begin(), unmatched.end(),
            [](const auto& a, const auto& b) { return a.second.seq < b.second.seq; });
  return unmatched;
}

// How many signatures a reviewed PDF carries, if not the seal and one
// countersignature: what is wrong, in words; empty when it is two.
std::string SignatureCountProblem(std::size_t count) {
  if (count == 0) return "it was reviewed, but its PDF carries no signature at all";
  if (count == 1) {
    return "it was reviewed, but its PDF carries only one signature, the seal: the "
           "practitioner's countersignature is missing";
  }
  if (count == 2) return "";
  return "its PDF carries " + std::to_string(count) +
         " signatures; a reviewed PDF carries two, the clinic's seal and the practitioner's "
         "countersignature";
}

}  // namespace

void Findings::Add(const std::string& problem) {
  if (problems_.size() < VerifyReport::kMaxProblems) problems_.push_back(problem);
  ++count_;
}

void Findings::Fill(VerifyReport& report) const {
  report.ok = count_ == 0;
  report.problems = problems_;
  report.problem_count = count_;
  report.first_problem = problems_.empty() ? "" : problems_.front();
}

std::string Plural(std::size_t n, const std::string& singular, const std::string& plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

StoredEvent ParseStoredDetail(const AuditEvent& event) {
  StoredEvent stored;
  stored.seq = event.seq;
  stored.at = event.at;
  stored.pdf_sha256 = DetailField(event.detail, "pdf_sha256");
  stored.content_sha256 = DetailField(event.detail, "content_sha256");
  stored.record_sha256 = DetailField(event.detail, "record_sha256");
  return stored;
}

ReviewedEvent ParseReviewedDetail(const AuditEvent& event) {
  ReviewedEvent reviewed;
  reviewed.seq = event.seq;
  reviewed.at = event.at;
  reviewed.decision = DetailField(event.detail, "decision");
  reviewed.pdf_sha256 = DetailField(event.detail, "pdf_sha256");
  return reviewed;
}

bool InTimeRange(const std::string& at, const std::string& from, const std::string& to) {
  return (from.empty() || at >= from) && (to.empty() || at < to);
}

ChainChecker::ChainChecker(std::int64_t first_seq, std::string anchor_hash, Findings& findings)
    : findings_(findings), next_seq_(first_seq), last_hash_(std::move(anchor_hash)) {}

void ChainChecker::Add(const AuditEvent& event) {
  bool after_gap = !CheckSeq(event);
  CheckHash(event, after_gap);
  Remember(event);
  ++events_;
  next_seq_ = event.seq + 1;
  last_hash_ = event.hash;
}

// False when events are missing before this one: its link cannot be judged.
bool ChainChecker::CheckSeq(const AuditEvent& event) {
  if (event.seq == next_seq_) return true;
  std::string expected = std::to_string(next_seq_);
  std::string previous = std::to_string(next_seq_ - 1);
  if (event.seq == next_seq_ + 1) {
    findings_.Add("audit event " + expected + " is missing (seq jumps from " + previous + " to " +
                  std::to_string(event.seq) + ")");
  } else if (event.seq > next_seq_) {
    findings_.Add("audit events " + expected + " to " + std::to_string(event.seq - 1) +
                  " are missing (seq jumps from " + previous + " to " + std::to_string(event.seq) +
                  ")");
  } else {
    findings_.Add(Describe(event) + " is out of order: it comes after event " + previous);
  }
  return false;
}

void ChainChecker::CheckHash(const AuditEvent& event, bool after_gap) {
  if (AuditHash(event.prev_hash, event) != event.hash) {
    std::int64_t written_as = WrittenAsSeq(event);
    if (written_as != 0) {
      findings_.Add(Describe(event) + " is out of place: it was written as event " +
                    std::to_string(written_as) + " (events reordered)");
    } else {
      findings_.Add(Describe(event) + " has been altered: its hash does not match its content");
    }
    return;
  }
  if (after_gap || event.prev_hash == last_hash_) return;
  if (events_ == 0) {
    findings_.Add(Describe(event) + " does not continue the chain: its prev_hash is not the " +
                  "anchor hash " + last_hash_);
  } else {
    findings_.Add(Describe(event) + " does not follow event " + std::to_string(event.seq - 1) +
                  ": its prev_hash is not that event's hash (an event was altered, removed " +
                  "or moved before it)");
  }
}

void ChainChecker::Remember(const AuditEvent& event) {
  if (event.action == kStoredAction) RememberFirst(stored_, event, ParseStoredDetail(event));
  if (event.action == kReviewedAction) RememberFirst(reviewed_, event, ParseReviewedDetail(event));
}

std::vector<std::pair<std::string, StoredEvent>> ChainChecker::Unmatched() const {
  return UnmatchedOf(stored_);
}

std::vector<std::pair<std::string, ReviewedEvent>> ChainChecker::UnmatchedReviews() const {
  return UnmatchedOf(reviewed_);
}

// The signatures are judged before the hashes: that the countersignature
// does not verify says more than that the file differs from its anchor.
Revisions CheckCountersignedPdf(const std::string& subject, const std::string& pdf,
                                const std::string& trusted_cert_pem, Findings& findings) {
  std::vector<SignatureCheck> signatures = VerifyPdfSignatures(pdf, trusted_cert_pem);
  std::string count = SignatureCountProblem(signatures.size());
  if (!count.empty()) findings.Add(subject + ": " + count);
  const char* names[] = {"seal", "countersignature"};
  for (std::size_t i = 0; i < signatures.size() && i < 2; ++i) {
    if (signatures[i].seal.valid) continue;
    findings.Add(subject + ": its " + names[i] + " does not verify: " + signatures[i].seal.problem);
  }
  Revisions revisions{"", Sha256Hex(pdf)};
  if (!signatures.empty()) {
    revisions.sealed_submission_id = signatures.front().seal.sealed_submission_id;
    revisions.sealed_content_sha256 = signatures.front().seal.sealed_content_sha256;
    revisions.seal_valid = signatures.front().seal.valid;
  }
  std::size_t original = signatures.empty() ? 0 : signatures.front().signed_length;
  if (original > 0 && original <= pdf.size()) {
    revisions.original_sha256 = Sha256Hex(pdf.substr(0, original));
  } else if (!signatures.empty()) {
    findings.Add(subject + ": the sealed original cannot be found in its PDF: the seal's byte " +
                 "range cannot be read");
  }
  return revisions;
}

void CheckAgainstReviewedEvent(const std::string& subject, const std::string& id,
                               const std::string& decision, const std::string& pdf_sha256,
                               ReviewedEvent& event, Findings& findings) {
  event.matched = true;
  std::string where = "audit event " + std::to_string(event.seq) + " (submission.reviewed)";
  if (event.duplicate_seq != 0) {
    findings.Add("submission " + id + " has more than one submission.reviewed event (audit " +
                 "events " + std::to_string(event.seq) + " and " +
                 std::to_string(event.duplicate_seq) + "); expected one");
  }
  if (!pdf_sha256.empty() && pdf_sha256 != event.pdf_sha256) {
    findings.Add(subject + ": its PDF is not the countersigned PDF " + where +
                 " anchors: it hashes to " + Short(pdf_sha256) + ", the event anchors " +
                 Short(event.pdf_sha256));
  }
  if (decision != event.decision) {
    findings.Add(subject + ": its review records the decision \"" + decision + "\", but " + where +
                 " anchors the decision \"" + event.decision + "\"");
  }
}

std::string DescribeReviewedEvent(const ReviewedEvent& event) {
  return "audit event " + std::to_string(event.seq) + " (submission.reviewed, at " + event.at +
         ") records a review with decision \"" + event.decision + "\"";
}

std::string ReviewedText(std::size_t reviewed) {
  if (reviewed == 0) return "none of them was reviewed";
  std::string its = reviewed == 1 ? "its" : "each";
  return Plural(reviewed, "of them was reviewed", "of them were reviewed") + ": " + its +
         " countersignature verifies, appended to the sealed original unchanged, and " + its +
         " countersigned PDF and decision match the one submission.reviewed event for it";
}

}  // namespace consentkit
