// Private to the archive module: the signed checkpoints of the audit chain
// (store/store.h, Checkpoint) held against the chain, and the head an
// officer holds from elsewhere (VerifyOptions). A hash chain alone cannot
// show that its newest events, or all of them, were removed: a signature
// by the clinic's seal key over where the chain once ended can.
//
// A data folder without one valid checkpoint never verifies. That includes
// a database holding nothing at all (no event, submission, token, invite,
// visit or checkpoint): it may be new or it may have been wiped, and
// nothing signed tells which, so verify exits 1 saying it is empty and
// unproven rather than calling it intact.
#ifndef CONSENTKIT_ARCHIVE_VERIFY_CHECKPOINTS_H_
#define CONSENTKIT_ARCHIVE_VERIFY_CHECKPOINTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "archive/archive.h"
#include "archive/chain.h"
#include "store/store.h"

namespace consentkit {

// Watches the events of a chain go by (in seq order, as ChainChecker sees
// them) and then judges the checkpoints and the expected head against what
// it saw. Holds one hash per checkpoint, not the chain.
class CheckpointChecker {
 public:
  // `trusted_cert_pem` is what every checkpoint must be signed by; each
  // checkpoint's signature is checked here (VerifyDetachedData over
  // CanonicalCheckpoint); a bad one goes to `findings` in Finish, after
  // what the chain and the rows showed.
  CheckpointChecker(const std::vector<Checkpoint>& checkpoints, const std::string& trusted_cert_pem,
                    const VerifyOptions& options, Findings& findings);

  // One event of the chain, in the order read.
  void Observe(const AuditEvent& event);

  // The chain was read from seq 1 up to `last_seq` (0: it holds no event).
  // `nothing_stored`: the database holds no row of any kind either, which
  // only changes how a missing checkpoint is worded.
  void Finish(std::int64_t last_seq, bool nothing_stored);

  std::size_t checkpoints() const { return checkpoints_.size(); }
  std::size_t valid() const { return valid_.size(); }
  // For the summary of a folder that verifies: the latest valid checkpoint
  // and what runs past it, and the expected head where it was found.
  std::string SummaryText() const;

 private:
  void CheckSignature(const Checkpoint& checkpoint, const std::string& trusted_cert_pem);
  void CheckHeld(std::int64_t last_seq);
  void CheckExpected(std::int64_t last_seq);

  Findings& findings_;
  VerifyOptions options_;
  std::vector<Checkpoint> checkpoints_;
  std::vector<Checkpoint> valid_;            // in seq order
  std::vector<std::string> bad_signatures_;  // problems, for Finish
  // seq → the hash the chain holds there, for every seq a valid checkpoint
  // or expect_seq names; filled in by Observe.
  std::map<std::int64_t, std::string> watched_;
  std::int64_t expected_hash_seq_ = 0;  // the event carrying expect_last_hash, once seen
  std::int64_t last_seq_ = 0;
};

}  // namespace consentkit

#endif  // CONSENTKIT_ARCHIVE_VERIFY_CHECKPOINTS_H_
