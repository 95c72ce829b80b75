// Detached signatures over data that is not a PDF (an archive's manifest,
// an audit checkpoint): the same CMS signature a seal carries, made and
// checked by the same code, so that one rule decides what a valid
// signature by the clinic is.
#include <istream>

#include "seal/crypto.h"
#include "seal/seal.h"
#include "seal/signing.h"
#include "seal/verify.h"

namespace consentkit {
namespace {

// Nothing may follow a signature kept on its own.
const CmsWording kDataWording{"the signature", "has bytes after the CMS signature",
                              "the data was changed after it was signed", false};

// A read-only BIO over a std::istream, so that data too large to hold
// (an archive's manifest) is signed as it is read.
int ReadStream(BIO* bio, char* out, int size) {
  auto* in = static_cast<std::istream*>(BIO_get_data(bio));
  in->read(out, size);
  auto got = static_cast<int>(in->gcount());
  if (got == 0 && in->bad()) return -1;
  return got;
}

long ControlStream(BIO*, int command, long, void*) { return command == BIO_CTRL_FLUSH ? 1 : 0; }

BioPtr StreamBio(std::istream& in) {
  static BIO_METHOD* const kMethod = [] {
    BIO_METHOD* method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "istream");
    BIO_meth_set_read(method, ReadStream);
    BIO_meth_set_ctrl(method, ControlStream);
    return method;
  }();
  BioPtr bio(BIO_new(kMethod));
  if (!bio) throw SealError("cannot sign: " + OpenSslError());
  BIO_set_data(bio.get(), &in);
  BIO_set_init(bio.get(), 1);
  return bio;
}

}  // namespace

std::string SignDetachedData(std::istream& data, const SigningIdentity& identity) {
  const SigningIdentity::Members& m = *identity.m_;
  BioPtr bio = StreamBio(data);
  std::string signature = SignDetached(bio.get(), m.certificate.get(), m.key.get(), m.chain.get());
  if (data.bad()) throw SealError("cannot sign: the data could not be read to its end");
  return signature;
}

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
