#include "archive/chain.h"

#include <algorithm>

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
  return stored;
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
  if (event.action != kStoredAction) return;
  auto [it, inserted] = stored_.emplace(event.object, ParseStoredDetail(event));
  if (!inserted && it->second.duplicate_seq == 0) it->second.duplicate_seq = event.seq;
}

std::vector<std::pair<std::string, StoredEvent>> ChainChecker::Unmatched() const {
  std::vector<std::pair<std::string, StoredEvent>> unmatched;
  for (const auto& [id, stored] : stored_) {
    if (!stored.matched) unmatched.emplace_back(id, stored);
  }
  std::sort(unmatched.begin(), unmatched.end(),
            [](const auto& a, const auto& b) { return a.second.seq < b.second.seq; });
  return unmatched;
}

}  // namespace consentkit
