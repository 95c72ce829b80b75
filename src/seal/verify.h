// The check of every signature in a PDF, shared by VerifyPdfSignatures and
// CountersignPdf (which refuses to countersign a record whose seal is
// broken). Private to src/seal/.
#ifndef CONSENTKIT_SEAL_VERIFY_H_
#define CONSENTKIT_SEAL_VERIFY_H_

#include <openssl/x509.h>

#include <string>
#include <vector>

#include "seal/seal.h"

namespace consentkit {

// VerifyPdfSignatures with the trusted certificate already parsed. With
// `trusted` null, any signer is accepted: what is left is whether each
// signature is intact (byte range, revisions, CMS over the bytes, signing
// time within its own certificate's validity), not whose it is.
std::vector<SignatureCheck> CheckSignatures(const std::string& pdf, const X509* trusted);

}  // namespace consentkit

#endif  // CONSENTKIT_SEAL_VERIFY_H_
