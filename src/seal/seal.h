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
// A practitioner's review countersigns a sealed record: CountersignPdf
// appends an incremental update (a second visible stamp and signature) and
// leaves every byte of the sealed file as it was, so the seal still
// verifies over exactly what the patient submitted. VerifyPdfSignatures
// checks each signature of such a file.
//
// Thread-safety: a SigningIdentity does not change once loaded. SealPdf,
// CountersignPdf, VerifySealedPdf and VerifyPdfSignatures may run at the
// same time on any threads, sharing one identity.
#ifndef CONSENTKIT_SEAL_SEAL_H_
#define CONSENTKIT_SEAL_SEAL_H_

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "submission/submission.h"

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

struct Countersignature;  // below

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
  friend std::string CountersignPdf(const std::string& sealed_pdf, const SigningIdentity& identity,
                                    const Countersignature& countersignature);
  friend std::string SignDetachedData(const std::string& data, const SigningIdentity& identity);
  friend std::string SignDetachedData(std::istream& data, const SigningIdentity& identity);
  // The same over everything `data` holds from where it stands to its end,
  // read a block at a time: for data too large to hold in memory.
  std::string SignDetachedData(std::istream& data, const SigningIdentity& identity);

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
  // The record the seal says it was made for, read from the seal's
  // signature dictionary (its /Reason, in the format of
  // seal/record_binding.h). That dictionary lies inside the signed bytes,
  // so both are filled in only when the seal is valid; both are empty for
  // an invalid seal, for a seal whose /Reason is not in that format (made
  // before seals named their record's content), for a countersignature and
  // for VerifyDetachedData. sealed_content_sha256 is lower-case hex.
  std::string sealed_submission_id;
  std::string sealed_content_sha256;
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

// A detached CMS signature (DER) by `identity` over exactly the bytes of
// `data`: SHA-256, signing time (now), the certificate and its chain, as a
// seal's. For what is not a PDF: an archive's manifest, an audit
// checkpoint. `openssl cms -verify -binary -inform DER -content data`
// accepts it. Throws SealError if OpenSSL fails.
std::string SignDetachedData(const std::string& data, const SigningIdentity& identity);

// Checks `signature_der` (what SignDetachedData made) over `data` as
// VerifySealedPdf checks a seal: a detached CMS signature with one signer
// and nothing after it, SHA-256 or stronger, over exactly `data`; the
// signer is the certificate `trusted_cert_pem` (compared exactly); the
// signing time lies within that certificate's validity. The signer and
// signing time are filled in whenever the signature could be read; the
// sealed_* fields stay empty. Throws SealError only if `trusted_cert_pem`
// is not a PEM certificate; a bad signature (garbage bytes included) is
// reported in the result.
SealCheck VerifyDetachedData(const std::string& data, const std::string& signature_der,
                             const std::string& trusted_cert_pem);

// What a practitioner's countersignature shows and says.
struct Countersignature {
  std::string practitioner_name;  // printed, and the signature's /Name
  std::string decision;           // "proceed", "defer" or "decline"
  std::string note;               // may be empty; line breaks are kept
  std::string signed_at_utc;      // ISO 8601 UTC "2026-11-23T10:15:02Z"; also /M
  Signature drawing;              // the practitioner's drawn strokes
};

// `sealed_pdf` (a record sealed by SealPdf, possibly already countersigned)
// with an incremental update appended. The update holds new objects only:
// a signature field and widget whose appearance shows "Practitioner
// review", the decision, the note, the name, the time and the drawn
// strokes; the page it is on with the widget added to /Annots; the
// AcroForm with the field added to /Fields and /SigFlags 3; then a new
// cross-reference section with /Prev, and a detached CMS signature by
// `identity` (SHA-256, as SealPdf's) over the whole new file except its own
// /Contents. The bytes of `sealed_pdf` are kept unchanged as a prefix, so
// every earlier signature still verifies over its byte range.
//
// The stamp goes on the last page, in the free space under the lowest
// widget there (the seal's stamp, or the previous countersignature's); if
// it does not fit above the page footer, the update adds a blank page of
// the same size for it. The stamp's text is in Helvetica (WinAnsiEncoding):
// characters it cannot encode print as "?", and a note longer than six
// lines is cut with "…" there; the full note is in the signature's
// /Reason. Countersigning again is allowed: each countersignature is one
// more revision, field "countersignature", "countersignature-2", and so on.
//
// Throws SealError, and returns nothing, if `sealed_pdf` is not a sealed
// record made by consentkit (not a PDF, not made by consentkit, no seal, a
// signature that no longer matches the bytes, bytes appended after the last
// signature, or objects this function cannot read), or if
// `countersignature` has an empty name, another decision, a time not in
// the form above, text that is not UTF-8, or a drawing with no points,
// more than kMaxSignaturePoints or a coordinate that is not finite.
std::string CountersignPdf(const std::string& sealed_pdf, const SigningIdentity& identity,
                           const Countersignature& countersignature);

// True when the countersignature's stamp can print `utf8` as it is: every
// character is in WinAnsiEncoding (the stamp's standard fonts). Callers
// refuse other text rather than let the stamp show "?" for it.
bool CountersignStampCanPrint(const std::string& utf8);

// One signature of a PDF, in file order, and whether it verifies.
struct SignatureCheck {
  SealCheck seal;
  std::string name;  // the signature's /Name, may be empty
  // The bytes its /ByteRange covers, up to the end of its revision (0 if the
  // byte range cannot be read).
  std::size_t signed_length = 0;
};

// Every signature of `pdf`, each checked as VerifySealedPdf checks the only
// one (byte range starting at 0 and leaving out exactly that signature's
// /Contents; the CMS signature verifies over those bytes; the signer is
// `trusted_cert_pem`; the signing time lies within its validity), except
// that only the last one must reach the end of the file. Each earlier one
// must end exactly where a later revision begins (just after a "%%EOF" and
// its line end), the next signature must lie after it, and the bytes up to
// the next signature's revision must be an incremental update: its
// cross-reference sections lead back through /Prev to the earlier
// revision's, and all that are newer were appended after it. An empty
// vector means that no signature was found. Throws SealError only if
// `trusted_cert_pem` is not a PEM certificate.
std::vector<SignatureCheck> VerifyPdfSignatures(const std::string& pdf,
                                                const std::string& trusted_cert_pem);

}  // namespace consentkit

#endif  // CONSENTKIT_SEAL_SEAL_H_
