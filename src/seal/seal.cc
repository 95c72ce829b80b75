// Sealing a PDF: filling in the placeholder that RenderOptions::seal leaves.
#include "seal/seal.h"

#include <openssl/err.h>

#include "seal/crypto.h"
#include "seal/placeholder.h"
#include "seal/signing.h"
#include "util/util.h"

namespace consentkit {
namespace {

// Everything the signature covers: the file without its /Contents value
// (the hex string, angle brackets included).
std::string SignedBytes(const std::string& pdf, const SignatureSlots& slots) {
  return pdf.substr(0, slots.contents_begin) + pdf.substr(slots.contents_end);
}

// "[0 a b c]" in place of the placeholder's array, padded with spaces to
// its width so that no byte of the file moves.
void WriteByteRange(std::string& pdf, const SignatureSlots& slots) {
  std::size_t width = slots.range_end - slots.range_begin;
  std::string range = "[0 " + std::to_string(slots.contents_begin) + " " +
                      std::to_string(slots.contents_end) + " " +
                      std::to_string(pdf.size() - slots.contents_end);
  if (range.size() + 1 > width) {
    throw SealError("cannot seal: the /ByteRange placeholder is too narrow for " + range + "]");
  }
  range += std::string(width - range.size() - 1, ' ') + "]";
  pdf.replace(slots.range_begin, width, range);
}

void WriteContents(std::string& pdf, const SignatureSlots& slots, const std::string& der) {
  std::size_t room = (slots.contents_end - slots.contents_begin - 2) / 2;
  if (der.size() > room) {
    throw SealError("cannot seal: the signature takes " + std::to_string(der.size()) +
                    " bytes but the PDF has room for " + std::to_string(room) +
                    "; expected a shorter certificate chain");
  }
  std::string hex = HexEncode(der, HexCase::kUpper);
  pdf.replace(slots.contents_begin + 1, hex.size(), hex);
}

}  // namespace

// OpenSSL adds the signed attributes; no S/MIME capabilities, which mean
// nothing in a PDF or to a verifier of data.
std::string SignDetached(const std::string& bytes, X509* certificate, EVP_PKEY* key,
                         STACK_OF(X509) * chain) {
  BioPtr data = MemoryBio(bytes);
  return SignDetached(data.get(), certificate, key, chain);
}

std::string SignDetached(BIO* data, X509* certificate, EVP_PKEY* key, STACK_OF(X509) * chain) {
  ERR_clear_error();
  const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  CmsPtr cms(CMS_sign(nullptr, nullptr, chain, nullptr, flags));
  if (!cms || !CMS_add1_signer(cms.get(), certificate, key, EVP_sha256(), flags) ||
      !CMS_final(cms.get(), data, nullptr, flags)) {
    throw SealError("cannot sign: " + OpenSslError());
  }
  unsigned char* der = nullptr;
  int length = i2d_CMS_ContentInfo(cms.get(), &der);
  if (length <= 0) throw SealError("cannot encode the signature: " + OpenSslError());
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

void FillSignature(std::string& pdf, const SignatureSlots& slots, X509* certificate, EVP_PKEY* key,
                   STACK_OF(X509) * chain) {
  WriteByteRange(pdf, slots);
  WriteContents(pdf, slots, SignDetached(SignedBytes(pdf, slots), certificate, key, chain));
}

std::string SealPdf(std::string pdf, const SigningIdentity& identity) {
  SignatureSlots slots;
  std::string problem = FindSignatureSlots(pdf, slots);
  if (!problem.empty()) {
    throw SealError("cannot seal: " + problem + "; render it with RenderOptions::seal set");
  }
  if (!IsUnfilled(pdf, slots)) throw SealError("cannot seal: the PDF is already sealed");
  const SigningIdentity::Members& m = *identity.m_;
  FillSignature(pdf, slots, m.certificate.get(), m.key.get(), m.chain.get());
  return pdf;
}

}  // namespace consentkit
