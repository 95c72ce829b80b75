#include "seal/crypto.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <climits>
#include <ctime>

#include "util/util.h"

namespace consentkit {

std::string OpenSslError() {
  unsigned long code = ERR_peek_last_error();
  const char* reason = code ? ERR_reason_error_string(code) : nullptr;
  ERR_clear_error();
  return reason ? reason : "unknown error";
}

BioPtr MemoryBio(const std::string& data) {
  if (data.size() > INT_MAX) throw SealError("cannot hand OpenSSL more than 2 GiB at once");
  BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (!bio) throw SealError("out of memory: " + OpenSslError());
  return bio;
}

std::string BioContents(BIO* bio) {
  BUF_MEM* memory = nullptr;
  BIO_get_mem_ptr(bio, &memory);
  return memory ? std::string(memory->data, memory->length) : std::string();
}

std::string Der(const X509* certificate) {
  unsigned char* der = nullptr;
  int length = i2d_X509(certificate, &der);
  if (length <= 0) throw SealError("cannot encode a certificate: " + OpenSslError());
  std::string bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return bytes;
}

std::string Pem(const X509* certificate) {
  BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || !PEM_write_bio_X509(out.get(), certificate)) {
    throw SealError("cannot write a certificate as PEM: " + OpenSslError());
  }
  return BioContents(out.get());
}

std::string CommonName(const X509* certificate) {
  const X509_NAME* subject = X509_get_subject_name(certificate);
  int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (at < 0) return "";
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
  unsigned char* utf8 = nullptr;
  int length = ASN1_STRING_to_UTF8(&utf8, value);
  if (length < 0) return "";
  std::string name(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return name;
}

std::string FingerprintSha256(const X509* certificate) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!X509_digest(certificate, EVP_sha256(), digest, &length)) {
    throw SealError("cannot hash a certificate: " + OpenSslError());
  }
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string TimeText(const ASN1_TIME* time) {
  std::tm utc{};
  if (!time || !ASN1_TIME_to_tm(time, &utc)) return "?";
  return UtcTimeText(timegm(&utc));
}

bool ReadCertificates(const std::string& pem, X509StackPtr& out) {
  ERR_clear_error();
  BioPtr in = MemoryBio(pem);
  out.reset(sk_X509_new_null());
  if (!out) throw SealError("out of memory: " + OpenSslError());
  while (X509* certificate = PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr)) {
    if (!sk_X509_push(out.get(), certificate)) {
      X509_free(certificate);
      throw SealError("out of memory: " + OpenSslError());
    }
  }
  // The loop ends at the end of the text ("no start line") or at a
  // certificate that does not decode.
  unsigned long last = ERR_peek_last_error();
  bool at_end = ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
  ERR_clear_error();
  return at_end;
}

}  // namespace consentkit
