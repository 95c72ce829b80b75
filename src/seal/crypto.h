// OpenSSL for the seal module: owning handles, so that every object is
// freed on every path (exceptions included), the few conversions the
// module needs, and the members of SigningIdentity. Private to src/seal/.
#ifndef CONSENTKIT_SEAL_CRYPTO_H_
#define CONSENTKIT_SEAL_CRYPTO_H_

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "seal/seal.h"

namespace consentkit {

struct OpenSslFree {
  void operator()(X509* p) const { X509_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  void operator()(BIO* p) const { BIO_free_all(p); }
  void operator()(CMS_ContentInfo* p) const { CMS_ContentInfo_free(p); }
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
};

using X509Ptr = std::unique_ptr<X509, OpenSslFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslFree>;
using BioPtr = std::unique_ptr<BIO, OpenSslFree>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, OpenSslFree>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), OpenSslFree>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslFree>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslFree>;

struct SigningIdentity::Members {
  X509Ptr certificate;
  X509StackPtr chain;  // never null; may be empty
  PkeyPtr key;
  std::string pem, common_name, fingerprint;
};

// The reason for the most recent OpenSSL error on this thread ("bad
// decrypt"), or "unknown error"; clears the thread's error queue.
std::string OpenSslError();

// A read-only memory BIO over `data`, which must outlive it.
BioPtr MemoryBio(const std::string& data);
std::string BioContents(BIO* bio);

std::string Der(const X509* certificate);
std::string Pem(const X509* certificate);
std::string CommonName(const X509* certificate);
std::string FingerprintSha256(const X509* certificate);
// "2026-11-23T10:15:02Z"; "?" if `time` is not a valid time.
std::string TimeText(const ASN1_TIME* time);

// Every certificate in `pem` in order; empty if there is none. Returns
// false if one is damaged.
bool ReadCertificates(const std::string& pem, X509StackPtr& out);

}  // namespace consentkit

#endif  // CONSENTKIT_SEAL_CRYPTO_H_
