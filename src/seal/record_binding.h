// What ties a seal to its record: the seal's signature /Reason names the
// submission id and the SHA-256 of the submission's canonical content, in
// the one format below. SealField (pdf/seal_stamp.cc) writes it;
// VerifySealedPdf and VerifyPdfSignatures read it back (into
// SealCheck::sealed_submission_id and sealed_content_sha256) once the
// signature, which covers the signature dictionary, is valid. Verifying a
// data folder or an archive then holds the record that files a sealed PDF
// to both, so a validly sealed PDF cannot be swapped for another record's
// or copied under another id. The record hash itself cannot go in: it
// covers the sealed PDF's own SHA-256.
//
// Header-only because both ck_pdf (which writes) and ck_seal (which reads)
// need it and neither links the other.
#ifndef CONSENTKIT_SEAL_RECORD_BINDING_H_
#define CONSENTKIT_SEAL_RECORD_BINDING_H_

#include <string>

namespace consentkit {

// "Record of consent submission <id>": all that seals said before they named
// their content, and what they still say when there is no content hash.
inline constexpr char kSealReasonPrefix[] = "Record of consent submission ";
inline constexpr char kSealReasonContent[] = "; content SHA-256 ";

// True for 64 lower-case hex digits, the form of every content hash.
inline bool IsSha256Hex(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// "Record of consent submission 5b0d3c1e-…; content SHA-256 9f2c…" for a
// content hash (IsSha256Hex); the prefix and the id alone for an empty one.
inline std::string SealReason(const std::string& submission_id, const std::string& content_sha256) {
  std::string reason = kSealReasonPrefix + submission_id;
  if (!content_sha256.empty()) reason += kSealReasonContent + content_sha256;
  return reason;
}

// The id and content hash in a reason SealReason wrote with a content hash.
// False, and both left as they were, for anything else: an id alone, an
// empty id, a hash that is not IsSha256Hex, text before or after.
inline bool ParseSealReason(const std::string& reason, std::string& submission_id,
                            std::string& content_sha256) {
  const std::string prefix = kSealReasonPrefix, content = kSealReasonContent;
  if (reason.compare(0, prefix.size(), prefix) != 0) return false;
  // The hash is the tail, so an id holding the separator still reads back.
  std::size_t separator = reason.rfind(content);
  if (separator == std::string::npos || separator <= prefix.size()) return false;
  std::string hash = reason.substr(separator + content.size());
  if (!IsSha256Hex(hash)) return false;
  submission_id = reason.substr(prefix.size(), separator - prefix.size());
  content_sha256 = hash;
  return true;
}

}  // namespace consentkit

#endif  // CONSENTKIT_SEAL_RECORD_BINDING_H_
