// Shared by the archive suites that build data folders without the server:
// one clinic seal, and a checkpoint signed the honest way, as the server
// signs one (see service/checkpoints.h), so that verify has the chain's
// head to hold.
#ifndef CONSENTKIT_TESTS_ARCHIVE_DATA_FOLDER_H_
#define CONSENTKIT_TESTS_ARCHIVE_DATA_FOLDER_H_

#include <string>

#include "seal/seal.h"
#include "service/checkpoints.h"
#include "store/store.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit::test {

// The clinic's seal for the archive suites, made once per run in a folder
// of its own (seal-cert.pem and seal-key.pem, as `consentkit keys init`
// leaves them).
inline const TempDir& ClinicSealDir() {
  static TempDir dir;
  static bool made = [] {
    CreateSelfSignedIdentity(dir.path(), "Harbourview Skin Clinic");
    return true;
  }();
  (void)made;
  return dir;
}

inline const SigningIdentity& ClinicSeal() {
  static SigningIdentity identity = SigningIdentity::Load(ClinicSealDir().File(kSealCertFile),
                                                          ClinicSealDir().File(kSealKeyFile));
  return identity;
}

// Signs a checkpoint of the chain's last event with `identity`, as the
// server does, and stores it; returns it.
inline Checkpoint SignCheckpoint(Store& store, const SigningIdentity& identity) {
  return consentkit::SignCheckpoint(store, identity, UtcNow());
}

}  // namespace consentkit::test

#endif  // CONSENTKIT_TESTS_ARCHIVE_DATA_FOLDER_H_
