// Private to the archive module: what verify and export need to know about
// the clinic's sealing certificate.
#ifndef CONSENTKIT_ARCHIVE_CERTIFICATE_H_
#define CONSENTKIT_ARCHIVE_CERTIFICATE_H_

#include <optional>
#include <string>

namespace consentkit {

struct CertificateInfo {
  // Lower-case hex SHA-256 of the DER encoding: what
  // `openssl x509 -noout -fingerprint -sha256` prints, without the colons.
  std::string fingerprint_sha256;
  std::string common_name;  // empty if the subject has none
};

// The first certificate in `pem`; nullopt if there is none or it does not
// parse.
std::optional<CertificateInfo> ReadCertificate(const std::string& pem);

}  // namespace consentkit

#endif  // CONSENTKIT_ARCHIVE_CERTIFICATE_H_
