#include "archive/verify_checkpoints.h"

#include <Poco/Base64Decoder.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "seal/seal.h"

namespace consentkit {
namespace {

std::string Short(const std::string& hash) { return hash.substr(0, 16) + "…"; }

// Whitespace (line breaks of a wrapped encoding) aside; garbage decodes to
// whatever it decodes to, and the signature check then refuses it.
std::string DecodeBase64(const std::string& text) {
  std::string compact;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) compact += c;
  }
  std::istringstream in(compact);
  Poco::Base64Decoder decoder(in);
  std::string bytes;
  try {
    bytes.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
  } catch (const std::exception&) {
    // Not base64: the bytes read so far are not a signature either.
  }
  return bytes;
}

std::string Describe(const Checkpoint& c) {
  return "checkpoint of event " + std::to_string(c.seq) + " signed at " + c.at;
}

}  // namespace

CheckpointChecker::CheckpointChecker(const std::vector<Checkpoint>& checkpoints,
                                     const std::string& trusted_cert_pem,
                                     const VerifyOptions& options, Findings& findings)
    : findings_(findings), options_(options), checkpoints_(checkpoints) {
  std::sort(checkpoints_.begin(), checkpoints_.end(),
            [](const Checkpoint& a, const Checkpoint& b) { return a.seq < b.seq; });
  for (const Checkpoint& c : checkpoints_) CheckSignature(c, trusted_cert_pem);
  watched_.emplace(0, kGenesisHash);  // an empty chain's "last event"; first, so it stays
  for (const Checkpoint& c : valid_) watched_.emplace(c.seq, "");
  if (options_.expect_seq > 0) watched_.emplace(options_.expect_seq, "");
}

// A checkpoint the certificate did not sign says nothing about the chain,
// so it is reported and then ignored.
void CheckpointChecker::CheckSignature(const Checkpoint& c, const std::string& trusted_cert_pem) {
  SealCheck check;
  try {
    check = VerifyDetachedData(CanonicalCheckpoint(c), DecodeBase64(c.signature), trusted_cert_pem);
  } catch (const SealError& e) {
    bad_signatures_.push_back(Describe(c) + ": its signature cannot be checked: " + e.what());
    return;
  }
  if (!check.valid) {
    bad_signatures_.push_back(Describe(c) + ": its signature does not verify: " + check.problem);
    return;
  }
  valid_.push_back(c);
}

void CheckpointChecker::Observe(const AuditEvent& event) {
  auto watched = watched_.find(event.seq);
  if (watched != watched_.end() && watched->second.empty()) watched->second = event.hash;
  if (!options_.expect_last_hash.empty() && expected_hash_seq_ == 0 &&
      event.hash == options_.expect_last_hash) {
    expected_hash_seq_ = event.seq;
  }
}

void CheckpointChecker::Finish(std::int64_t last_seq, bool nothing_stored) {
  last_seq_ = last_seq;
  for (const std::string& problem : bad_signatures_) findings_.Add(problem);
  // A checkpoint of the empty chain (seq 0) is the same in every data folder
  // this key ever served, so it proves no event: only one of seq 1 or later
  // does.
  bool proves_an_event =
      std::any_of(valid_.begin(), valid_.end(), [](const Checkpoint& c) { return c.seq > 0; });
  if (!proves_an_event) {
    if (last_seq > 0) {
      findings_.Add(
          "no signed checkpoint of any event: verify cannot tell whether events were removed "
          "from the end of the audit chain (" +
          Plural(checkpoints_.size(), "checkpoint", "checkpoints") + " in the database" +
          (checkpoints_.empty() ? ""
           : valid_.empty()     ? ", none valid"
                                : ", all of the empty chain") +
          ")");
    } else if (nothing_stored) {
      findings_.Add(
          "the data folder is empty and unproven: it holds no audit event, no record "
          "of any kind and no signed checkpoint, so verify cannot tell a new data "
          "folder from a wiped one");
    } else {
      findings_.Add(
          "the audit chain is empty and there is no valid signed checkpoint: verify "
          "cannot tell whether its events were removed");
    }
  }
  CheckHeld(last_seq);
  CheckExpected(last_seq);
}

// Each valid checkpoint's seq must be in the chain with that very hash.
// Only the latest checkpoint past the end and the first one contradicted
// are worded in full: the others say the same about the same events.
void CheckpointChecker::CheckHeld(std::int64_t last_seq) {
  const Checkpoint* past_end = nullptr;
  std::size_t past_end_count = 0, contradicted = 0;
  for (const Checkpoint& c : valid_) {
    if (c.seq > last_seq) {
      past_end = &c;
      ++past_end_count;
      continue;
    }
    const std::string& held = watched_.at(c.seq);
    if (held == c.last_hash) continue;
    if (++contradicted > 1) continue;
    if (held.empty()) {
      findings_.Add(Describe(c) + " covers event " + std::to_string(c.seq) + " with hash " +
                    Short(c.last_hash) +
                    ", but the audit chain does not hold that event: events were removed");
    } else {
      findings_.Add(Describe(c) + " says event " + std::to_string(c.seq) + " has hash " +
                    Short(c.last_hash) + ", but the chain's event " + std::to_string(c.seq) +
                    " has hash " + Short(held) +
                    ": the chain was rewritten at or before that event");
    }
  }
  if (contradicted > 1) {
    findings_.Add(Plural(contradicted - 1, "later checkpoint", "later checkpoints") +
                  " contradict the chain as well");
  }
  if (past_end) {
    std::string others =
        past_end_count > 1
            ? " (as do " + Plural(past_end_count - 1, "earlier checkpoint", "earlier checkpoints") +
                  ")"
            : "";
    findings_.Add("the chain ends at event " + std::to_string(last_seq) + " but " +
                  Describe(*past_end) + " says it reached " + std::to_string(past_end->seq) +
                  others + ": events were removed");
  }
}

// What the officer holds from elsewhere: it is the anchor the checkpoints
// cannot be (a wiped folder has no checkpoint left to contradict).
void CheckpointChecker::CheckExpected(std::int64_t last_seq) {
  const std::string& hash = options_.expect_last_hash;
  std::int64_t seq = options_.expect_seq;
  if (seq > 0 && seq > last_seq) {
    findings_.Add("the chain ends at event " + std::to_string(last_seq) +
                  ", before the expected event " + std::to_string(seq) +
                  (hash.empty() ? "" : " (hash " + Short(hash) + ")") +
                  ": it was truncated or wiped");
    return;
  }
  if (seq > 0 && !hash.empty()) {
    const std::string& held = watched_.at(seq);
    if (held != hash) {
      findings_.Add("the chain does not hold the expected head " + Short(hash) + " at event " +
                    std::to_string(seq) + " (it has " +
                    (held.empty() ? "no such event" : Short(held)) +
                    "): it was truncated, wiped or rewritten");
    }
    return;
  }
  if (!hash.empty() && expected_hash_seq_ == 0 && !(hash == kGenesisHash)) {
    findings_.Add("the chain does not hold the expected head " + Short(hash) + ": none of its " +
                  Plural(static_cast<std::size_t>(last_seq), "event", "events") +
                  " has that hash: it was truncated, wiped or rewritten");
  }
}

std::string CheckpointChecker::SummaryText() const {
  std::string text;
  if (!valid_.empty()) {
    const Checkpoint& latest = valid_.back();
    std::int64_t past = last_seq_ - latest.seq;
    text = "the latest signed checkpoint (of " +
           Plural(valid_.size(), "valid checkpoint", "valid checkpoints") + ") covers event " +
           std::to_string(latest.seq) + " (hash " + Short(latest.last_hash) + ", signed at " +
           latest.at + ") and the chain holds it, with " +
           Plural(static_cast<std::size_t>(past > 0 ? past : 0), "event", "events") + " past it";
  }
  if (options_.expect_seq > 0 || !options_.expect_last_hash.empty()) {
    std::int64_t seq = options_.expect_seq > 0 ? options_.expect_seq : expected_hash_seq_;
    text += (text.empty() ? "" : "; ") + std::string("the expected head ") +
            (options_.expect_last_hash.empty() ? "" : Short(options_.expect_last_hash) + " ") +
            "is event " + std::to_string(seq) + " of the chain";
  }
  return text;
}

}  // namespace consentkit
