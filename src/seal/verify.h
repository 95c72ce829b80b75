// Checking signatures: every signature in a PDF, shared by
// VerifyPdfSignatures and CountersignPdf (which refuses to countersign a
// record whose seal is broken), and the detached CMS check that a PDF's
// signatures and VerifyDetachedData share. Private to src/seal/.
#ifndef CONSENTKIT_SEAL_VERIFY_H_
#define CONSENTKIT_SEAL_VERIFY_H_

#include <openssl/x509.h>

#include <string>
#include <vector>

#include "seal/crypto.h"
#include "seal/seal.h"

namespace consentkit {

// VerifyPdfSignatures with the trusted certificate already parsed. With
// `trusted` null, any signer is accepted: what is left is whether each
// signature is intact (byte range, revisions, CMS over the bytes, signing
// time within its own certificate's validity), not whose it is.
std::vector<SignatureCheck> CheckSignatures(const std::string& pdf, const X509* trusted);

// The first certificate of `pem`. Throws SealError if there is none.
X509Ptr ParseTrustedCertificate(const std::string& pem);

// How problems with a CMS signature are put, for what it signs.
struct CmsWording {
  std::string value;         // what holds it: "the signature value"
  std::string extra_bytes;   // after `value`, when bytes follow the CMS
  std::string changed;       // what a digest mismatch means: "the document was changed …"
  bool zero_padded = false;  // zero bytes may follow the CMS (a PDF's reserved room)
};

// Checks the detached CMS signature `der` over exactly `signed_bytes`: a
// detached SignedData with one signer and nothing after it (but zeros, if
// `wording` allows them), a digest of SHA-256 or stronger, the digest and
// signature over those bytes, the signer `trusted` (compared exactly; any
// signer when null) and the signing time within the signer's validity.
// Fills in check.signer_* and signed_at_utc whenever they can be read;
// returns what is wrong, or "".
std::string CheckDetachedCms(const std::string& der, const std::string& signed_bytes,
                             const CmsWording& wording, const X509* trusted, SealCheck& check);

}  // namespace consentkit

#endif  // CONSENTKIT_SEAL_VERIFY_H_
