// Detached signatures over data that is not a PDF (an archive's manifest,
// an audit checkpoint): the same CMS signature a seal carries, made and
// checked by the same code, so that one rule decides what a valid
// signature by the clinic is.
#include "seal/crypto.h"
#include "seal/seal.h"
#include "seal/signing.h"
#include "seal/verify.h"

namespace consentkit {
namespace {

// Nothing may follow a signature kept on its own.
const CmsWording kDataWording{"the signature", "has bytes after the CMS signature",
                              "the data was changed after it was signed", false};

}  // namespace

std::string SignDetachedData(const std::string& data, const SigningIdentity& identity) {
  const SigningIdentity::Members& m = *identity.m_;
  return SignDetached(data, m.certificate.get(), m.key.get(), m.chain.get());
}

SealCheck VerifyDetachedData(const std::string& data, const std::string& signature_der,
                             const std::string& trusted_cert_pem) {
  X509Ptr trusted = ParseTrustedCertificate(trusted_cert_pem);
  SealCheck check;
  check.problem = CheckDetachedCms(signature_der, data, kDataWording, trusted.get(), check);
  check.valid = check.problem.empty();
  return check;
}

}  // namespace consentkit
