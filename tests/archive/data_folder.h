// Shared by the archive suites that build data folders without the server:
// a checkpoint signed the honest way, as the server signs one (see
// service/checkpoints.h), so that verify has the chain's head to hold.
#ifndef CONSENTKIT_TESTS_ARCHIVE_DATA_FOLDER_H_
#define CONSENTKIT_TESTS_ARCHIVE_DATA_FOLDER_H_

#include <Poco/Base64Encoder.h>

#include <sstream>
#include <string>

#include "seal/seal.h"
#include "store/store.h"
#include "util/util.h"

namespace consentkit::test {

inline std::string Base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

// Signs a checkpoint of the chain's last event with `identity` and stores
// it; returns it.
inline Checkpoint SignCheckpoint(Store& store, const SigningIdentity& identity) {
  Checkpoint checkpoint;
  checkpoint.seq = store.LastAuditSeq();
  checkpoint.last_hash = kGenesisHash;
  if (checkpoint.seq > 0) {
    store.ForEachAuditEvent(checkpoint.seq, checkpoint.seq,
                            [&](const AuditEvent& e) { checkpoint.last_hash = e.hash; });
  }
  checkpoint.at = UtcNow();
  checkpoint.signature = Base64(SignDetachedData(CanonicalCheckpoint(checkpoint), identity));
  store.AddCheckpoint(checkpoint);
  return checkpoint;
}

}  // namespace consentkit::test

#endif  // CONSENTKIT_TESTS_ARCHIVE_DATA_FOLDER_H_
