// Making signatures: filling in a signature placeholder, shared by SealPdf
// and CountersignPdf, and the detached CMS signature itself, which
// SignDetachedData makes over other data too. Private to src/seal/.
#ifndef CONSENTKIT_SEAL_SIGNING_H_
#define CONSENTKIT_SEAL_SIGNING_H_

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>

#include "seal/placeholder.h"

namespace consentkit {

// A detached CMS signature (DER) over `bytes`: the CMS holds the signature,
// not the signed bytes. Signed attributes: content type, message digest and
// signing time (now). Throws SealError if OpenSSL fails.
std::string SignDetached(const std::string& bytes, X509* certificate, EVP_PKEY* key,
                         STACK_OF(X509) * chain);
// The same, reading the signed bytes from `data` to its end.
std::string SignDetached(BIO* data, X509* certificate, EVP_PKEY* key, STACK_OF(X509) * chain);

// Writes the byte range "[0 a b c]" into the placeholder array at `slots`
// (padded to its width, so that no byte moves), then a detached CMS
// signature (SHA-256, signing time, `certificate` and `chain`) over every
// byte of `pdf` but the /Contents hex string into that string. Throws
// SealError if either slot is too small or OpenSSL fails.
void FillSignature(std::string& pdf, const SignatureSlots& slots, X509* certificate, EVP_PKEY* key,
                   STACK_OF(X509) * chain);

}  // namespace consentkit

#endif  // CONSENTKIT_SEAL_SIGNING_H_
