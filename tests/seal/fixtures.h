// What the seal suites share: the clinic's signing identity (made once per
// run), a rendered record before and after sealing, and what pdfsig says
// about a file.
#ifndef CONSENTKIT_TESTS_SEAL_FIXTURES_H_
#define CONSENTKIT_TESTS_SEAL_FIXTURES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "seal/seal.h"
#include "support/support.h"

namespace consentkit::test::seal {

inline const std::string kUuid = "5b0d3c1e-6f0a-4b8e-9a57-2f4f3f1c2a10";
inline const std::string kClinicName = "Clínica Muñoz";
inline const std::string kSealedAt = "2026-11-23T10:15:02Z";
// The record's content hash the seal names (any SHA-256 will do: the seal
// binds whatever the caller passes).
inline const std::string kContentSha256 =
    "3f8a2b1c9d0e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c";
inline const std::string kValid = "Signature Validation: Signature is Valid.";
inline const std::string kChanged =
    "the signature does not match the signed bytes: the document was changed after sealing";

// What the test expects of an error: "OK" if it contains every part, else
// the message itself (leveldb's MatchError).
std::string MatchError(const std::string& message, const std::vector<std::string>& parts);

template <typename F>
std::string SealErrorOf(F&& f) {
  try {
    f();
  } catch (const SealError& e) {
    return e.what();
  }
  return "no SealError";
}

SigningIdentity LoadFrom(const std::string& dir);
// The folder whose keys/ holds the clinic's key and certificate.
const TempDir& ClinicKeys();
const SigningIdentity& Clinic();
const SigningIdentity& OtherClinic();  // "Other Clinic"

// The microneedling consent record for kUuid, with the seal's placeholder
// if `sealed`, whose /Reason names `content_sha256` (empty: the id alone,
// as seals did before they named their content).
std::string RenderRecord(bool sealed, const std::string& content_sha256 = kContentSha256);
// Rendered and sealed once; tests that change it work on copies.
const std::string& Unsealed();
const std::string& Sealed();

// pdfsig's report on `pdf`, stdout and stderr.
std::string PdfSig(const std::string& pdf);
// Runs `script` with CK_PYTHON (which has pypdf) on `pdf`, opened as `r`
// (strict): "OK\n" unless the script printed otherwise or anything warned.
std::string Pypdf(const std::string& pdf, const std::string& script);
// `pdf` with the lowest bit of byte `at` flipped.
std::string Flipped(std::string pdf, std::size_t at);

}  // namespace consentkit::test::seal

#endif  // CONSENTKIT_TESTS_SEAL_FIXTURES_H_
