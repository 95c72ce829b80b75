// Seals: PDF digital signatures that make a stored submission record
// tamper-evident.
//
// A record rendered with RenderOptions::seal (pdf/pdf.h) carries a visible
// stamp and an empty signature. SealPdf signs it with the clinic's
// certificate: a detached CMS signature (SHA-256, /adbe.pkcs7.detached) over
// every byte of the file except the signature value itself, so that viewers
// such as pdfsig and Acrobat report the signature valid and the whole
// document signed, and any later change to the file breaks it.
// VerifySealedPdf checks a seal offline, years later, against the clinic's
// own certificate: no certificate authority, no network.
//
// Thread-safety: a SigningIdentity does not change once loaded. SealPdf and
// VerifySealedPdf may run at the same time on any threads, sharing one
// identity.
#ifndef CONSENTKIT_SEAL_SEAL_H_
#define CONSENTKIT_SEAL_SEAL_H_

#include <memory>
#include <stdexcept>
#include <string>

namespace consentkit {

// A key or certificate that cannot be used (the message names the file, what
// is wrong and what was expected), a PDF that cannot be sealed, or an
// OpenSSL failure.
class SealError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What CreateSelfSignedIdentity writes, in the folder it is given.
inline constexpr char kSealKeyFile[] = "seal-key.pem";
inline constexpr char kSealCertFile[] = "seal-cert.pem";

// The clinic's certificate, its chain and its private key: what seals.
class SigningIdentity {
 public:
  // Reads `cert_pem_path` (the clinic's PEM certificate, optionally followed
  // by the certificates of its chain, which every seal then carries) and
  // `key_pem_path` (its unencrypted PEM private key). Throws SealError if a
  // file is missing or is not what was expected, if the key file can be read
  // or written by anyone but its owner (the message says to chmod 600), if
  // the key does not belong to the certificate, or if the certificate is not
  // valid now (seals made with it would not verify).
  static SigningIdentity Load(const std::string& cert_pem_path, const std::string& key_pem_path);

  SigningIdentity(SigningIdentity&&) noexcept;
  SigningIdentity& operator=(SigningIdentity&&) noexcept;
  ~SigningIdentity();

  // The clinic's certificate alone, in PEM: what VerifySealedPdf trusts.
  const std::string& certificate_pem() const;
  // The certificate's subject common name, e.g. "Harbourview Skin & Laser Clinic".
  const std::string& common_name() const;
  // Lower-case hex SHA-256 of the certificate's DER encoding.
  const std::string& fingerprint_sha256() const;

 private:
  struct Members;
  explicit SigningIdentity(std::unique_ptr<Members> members);
  friend std::string SealPdf(std::string pdf, const SigningIdentity& identity);

  std::unique_ptr<Members> m_;
};

// For `consentkit keys init`: a new ECDSA P-256 key and a self-signed X.509 v3
// certificate for it (common name and organisation `clinic_name`, cut to 64
// characters; valid for 10 years; key usage digital signature and
// non-repudiation), as `dir`/seal-key.pem (mode 0600 from the moment it
// exists) and `dir`/seal-cert.pem. Creates `dir` (mode 0700) if needed.
// Each file appears whole or not at all. Never replaces a file: throws
// SealError if either already exists, and then writes nothing.
void CreateSelfSignedIdentity(const std::string& dir, const std::string& clinic_name);

// `pdf` with its signature placeholder filled in: the signed byte range,
// and a detached CMS signature (SHA-256, signing time, the certificate and
// its chain) over those bytes. The length does not change. Throws SealError
// if `pdf` has no placeholder (render it with RenderOptions::seal), is
// already sealed, or has too little room for the signature.
std::string SealPdf(std::string pdf, const SigningIdentity& identity);

// The outcome of VerifySealedPdf. The signer fields are filled in whenever
// the signature could be read, valid or not.
struct SealCheck {
  bool valid = false;
  std::string problem;  // empty when valid; otherwise what is wrong, for people
  std::string signer_common_name;
  std::string signer_fingerprint_sha256;
  std::string signed_at_utc;  // the signature's signing time, "2026-11-23T10:15:02Z"
};

// Checks `pdf`'s seal without a network or a certificate authority: exactly
// one signature; its byte range starts at 0, leaves out exactly the
// signature value and reaches the end of the file, so nothing was changed
// or appended; the CMS signature verifies over those bytes; the signer is
// the certificate `trusted_cert_pem` (compared exactly, so a self-signed
// certificate is fine); and the signing time lies within that certificate's
// validity (an expired certificate is fine for a seal made before it
// expired). Throws SealError only if `trusted_cert_pem` is not a PEM
// certificate; a bad seal is reported in the result.
SealCheck VerifySealedPdf(const std::string& pdf, const std::string& trusted_cert_pem);

}  // namespace consentkit

#endif  // CONSENTKIT_SEAL_SEAL_H_
