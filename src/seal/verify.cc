// Checking a seal offline: the byte range, the CMS signature, the signer.
//
// Trust is pinned: the signer must be exactly the clinic's certificate,
// compared byte for byte. A chain to a certificate authority would add
// nothing (the clinic's own certificate is what an archive is checked
// against, and it is often self-signed), and would fail years later for
// reasons that say nothing about the record. For the same reason time is
// checked at the signing time the signature claims, not now. That claim is
// the signer's own; without a timestamp authority it cannot be better.
//
// A countersigned record has one signature per revision: the seal over the
// rendered file, then each countersignature over the whole file as it was
// after its incremental update. Each earlier signature still covers exactly
// its own revision; what makes the later bytes acceptable is that they are
// an update appended to it, which the cross-reference chain shows.
#include "seal/verify.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <algorithm>
#include <array>

#include "seal/crypto.h"
#include "seal/pdf_reader.h"
#include "seal/placeholder.h"

namespace consentkit {
namespace {

// What is being checked, filled in step by step.
struct Seal {
  SignatureSlots slots;
  std::size_t end = 0;  // where the byte range ends
  CmsPtr cms;
  CMS_SignerInfo* signer_info = nullptr;  // owned by cms
  X509* signer = nullptr;                 // owned by cms
};

std::string Bytes(std::size_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

// The byte range must start at 0 and leave out exactly one hex string, the
// signature value; it then fixes where the value is. (That the value is the
// dictionary's /Contents follows once the signature verifies: every byte
// around it is signed. With several signatures it is checked outright, so
// that no message blames the wrong one.) Fills in seal.end.
std::string CheckRange(const std::string& pdf, const FoundSignature& found, Seal& seal) {
  std::array<std::size_t, 4> r{};
  if (!ParseByteRange(pdf, seal.slots, r)) return "the /ByteRange is not four whole numbers";
  if (r[0] != 0) {
    return "the signed range does not start at the beginning of the file (it starts at byte " +
           std::to_string(r[0]) + ")";
  }
  bool own_value = found.slots.contents_end == 0 || found.slots.contents_begin == r[1];
  if (r[2] < r[1] || !IsHexString(pdf, r[1], r[2]) || !own_value) {
    return "the byte range leaves out bytes " + std::to_string(r[1]) + " to " +
           std::to_string(r[2]) + ", which are not the signature value";
  }
  seal.slots.contents_begin = r[1];
  seal.slots.contents_end = r[2];
  seal.end = r[2] + r[3];
  return "";
}

// The last signature must reach the end of the file: nothing was changed
// or appended after it.
std::string CheckReachesEnd(const std::string& pdf, std::size_t end) {
  if (end < pdf.size()) {
    return "byte range does not cover the whole file: " + Bytes(pdf.size() - end) +
           " after the signed range (added after sealing)";
  }
  if (end > pdf.size()) {
    return "the signed range runs " + Bytes(end - pdf.size()) +
           " past the end of the file: the file was cut short after sealing";
  }
  return "";
}

// The bytes from `end` to `later_end` (the next signature's revision) must be
// an incremental update: that revision's cross-reference tables lead back,
// through /Prev, to the table of the revision ending at `end`, and every
// table newer than that one was appended after `end`.
std::string CheckUpdate(const std::string& pdf, std::size_t end, std::size_t later_end) {
  std::string intro = "the bytes after the signed revision are not an incremental update of it: ";
  try {
    std::size_t own = StartXrefBefore(pdf, end);
    std::vector<std::size_t> chain = XrefChain(pdf, StartXrefBefore(pdf, later_end));
    auto found = std::find(chain.begin(), chain.end(), own);
    if (found == chain.end()) {
      return intro + "their cross-reference tables do not lead back to the revision's (at byte " +
             std::to_string(own) + ")";
    }
    for (auto newer = chain.begin(); newer != found; ++newer) {
      if (*newer < end) {
        return intro + "the cross-reference table at byte " + std::to_string(*newer) +
               " lies inside the signed revision";
      }
    }
  } catch (const SealError& e) {
    return intro + e.what();
  }
  return "";
}

// An earlier signature must end exactly where a later revision begins, and
// the next signature must lie in the bytes appended after it.
std::string CheckEarlierRevision(const std::string& pdf, std::size_t end,
                                 const FoundSignature& next, std::size_t next_end) {
  if (end > pdf.size()) return CheckReachesEnd(pdf, end);
  if (!EndsRevision(pdf, end)) {
    return "the signed range ends at byte " + std::to_string(end) +
           ", which is not the end of a revision (just after %%EOF and its line end)";
  }
  if (next.slots.range_begin < end) {
    return "the next signature lies inside the revision this one signs, not in a later one";
  }
  bool next_is_whole = next_end > end && next_end <= pdf.size() && EndsRevision(pdf, next_end);
  return CheckUpdate(pdf, end, next_is_whole ? next_end : pdf.size());
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;  // FindSignatureSlots let only hex digits through
}

// The CMS blob and the zero padding after it; a padding byte that is not
// zero means the value was changed.
std::string DecodeSignature(const std::string& pdf, Seal& seal) {
  std::size_t from = seal.slots.contents_begin + 1, to = seal.slots.contents_end - 1;
  if ((to - from) % 2 != 0) return "the signature value has an odd number of hex digits";
  std::string der;
  for (std::size_t i = from; i < to; i += 2) {
    der += static_cast<char>(HexValue(pdf[i]) * 16 + HexValue(pdf[i + 1]));
  }
  const auto* start = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* next = start;
  seal.cms.reset(d2i_CMS_ContentInfo(nullptr, &next, static_cast<long>(der.size())));
  ERR_clear_error();
  if (!seal.cms) return "the signature value is not a CMS signature";
  if (der.find_first_not_of('\0', static_cast<std::size_t>(next - start)) != std::string::npos) {
    return "the signature value was changed after sealing: there are bytes after the CMS "
           "signature";
  }
  if (OBJ_obj2nid(CMS_get0_type(seal.cms.get())) != NID_pkcs7_signed ||
      CMS_is_detached(seal.cms.get()) != 1) {
    return "the signature value is not a detached CMS signature";
  }
  return "";
}

std::string FindSigner(const X509* trusted, Seal& seal, SealCheck& check) {
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(seal.cms.get());
  int count = infos ? sk_CMS_SignerInfo_num(infos) : 0;
  if (count != 1) return "the signature has " + std::to_string(count) + " signers; expected one";
  seal.signer_info = sk_CMS_SignerInfo_value(infos, 0);
  // Looks for the signer among the CMS's certificates, then the clinic's.
  X509StackPtr extra(sk_X509_new_null());
  if (!extra) throw SealError("out of memory: " + OpenSslError());
  if (trusted) {
    X509Ptr copy(X509_dup(trusted));
    if (!copy || !sk_X509_push(extra.get(), copy.get())) {
      throw SealError("out of memory: " + OpenSslError());
    }
    copy.release();  // owned by extra now
  }
  CMS_set1_signers_certs(seal.cms.get(), extra.get(), 0);
  ERR_clear_error();
  CMS_SignerInfo_get0_algs(seal.signer_info, nullptr, &seal.signer, nullptr, nullptr);
  if (!seal.signer) return "the signature does not include its signer's certificate";
  check.signer_common_name = CommonName(seal.signer);
  check.signer_fingerprint_sha256 = FingerprintSha256(seal.signer);
  return "";
}

const ASN1_TIME* SigningTime(CMS_SignerInfo* info) {
  int at = CMS_signed_get_attr_by_NID(info, NID_pkcs9_signingTime, -1);
  if (at < 0) return nullptr;
  const ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(info, at), 0);
  if (!value || (value->type != V_ASN1_UTCTIME && value->type != V_ASN1_GENERALIZEDTIME)) {
    return nullptr;
  }
  return value->value.asn1_string;
}

// SHA-1 and weaker digests allow forged documents with the same digest.
std::string CheckDigest(CMS_SignerInfo* info) {
  X509_ALGOR* digest = nullptr;
  CMS_SignerInfo_get0_algs(info, nullptr, nullptr, &digest, nullptr);
  const ASN1_OBJECT* algorithm = nullptr;
  X509_ALGOR_get0(&algorithm, nullptr, nullptr, digest);
  int nid = OBJ_obj2nid(algorithm);
  if (nid == NID_sha256 || nid == NID_sha384 || nid == NID_sha512) return "";
  return std::string("the signature uses the digest ") + OBJ_nid2sn(nid) +
         "; expected SHA-256 or stronger";
}

// Both the digest of the signed bytes and the signature over the signed
// attributes; the certificate itself is judged by CheckSigner.
std::string CheckBytes(const std::string& pdf, Seal& seal) {
  std::string bytes = pdf.substr(0, seal.slots.contents_begin) +
                      pdf.substr(seal.slots.contents_end, seal.end - seal.slots.contents_end);
  // CMS_verify copies the data of a memory BIO into one of its own, and
  // OpenSSL 3.0 leaks that copy when the CMS names a digest it does not know
  // (CMS_dataInit fails): behind a buffer BIO the content is not a memory
  // BIO, so nothing is copied.
  BioPtr content(BIO_new(BIO_f_buffer()));
  if (!content) throw SealError("out of memory: " + OpenSslError());
  BIO_push(content.get(), MemoryBio(bytes).release());  // owned by content now
  int ok = CMS_verify(seal.cms.get(), nullptr, nullptr, content.get(), nullptr,
                      CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY);
  ERR_clear_error();
  if (ok == 1) return "";
  return "the signature does not match the signed bytes: the document was changed after sealing";
}

std::string CheckSigner(const X509* trusted, const Seal& seal) {
  if (!trusted || Der(seal.signer) == Der(trusted)) return "";
  return "signed by CN=" + CommonName(seal.signer) + " (sha256 " + FingerprintSha256(seal.signer) +
         "), not the clinic's certificate CN=" + CommonName(trusted) + " (sha256 " +
         FingerprintSha256(trusted) + ")";
}

std::string CheckSigningTime(const Seal& seal) {
  const ASN1_TIME* when = SigningTime(seal.signer_info);
  if (!when) return "the signature has no signing time";
  const ASN1_TIME* from = X509_get0_notBefore(seal.signer);
  const ASN1_TIME* until = X509_get0_notAfter(seal.signer);
  if (ASN1_TIME_compare(when, from) >= 0 && ASN1_TIME_compare(when, until) <= 0) return "";
  return "signed at " + TimeText(when) + ", outside the certificate's validity (" + TimeText(from) +
         " to " + TimeText(until) + ")";
}

bool NeverSealed(const std::string& pdf, const FoundSignature& found) {
  return found.problem.empty() && found.slots.contents_end != 0 && IsUnfilled(pdf, found.slots);
}

// Where `found`'s byte range ends, or 0 if it cannot be read.
std::size_t SignedEnd(const std::string& pdf, const FoundSignature& found) {
  std::array<std::size_t, 4> r{};
  if (!found.problem.empty() || !ParseByteRange(pdf, found.slots, r)) return 0;
  return r[2] + r[3];
}

// The signature dictionary's /Name (the signer's name, as the signer wrote
// it), or "" if the object holding the /ByteRange has none or cannot be read.
std::string SignatureName(const std::string& pdf, std::size_t range_begin) {
  std::size_t before = pdf.rfind("endobj", range_begin);
  std::size_t header = pdf.find("obj", before == std::string::npos ? 0 : before + 6);
  if (header == std::string::npos || header > range_begin) return "";
  try {
    std::size_t at = header + 3;
    PdfValue value = ReadPdfValue(pdf, at);
    if (value.kind != PdfValue::kDict || value.end <= range_begin) return "";
    PdfDict signature = ReadPdfDict(pdf, value, "the signature");
    const PdfValue* name = FindEntry(signature, "Name");
    return name ? PdfTextToUtf8(PdfStringBytes(pdf, *name)) : "";
  } catch (const SealError&) {
    return "";
  }
}

// What the byte range covers: the file from 0 but the signature value, up to
// the end of the file for the last signature, up to the end of its revision
// for an earlier one (`next` is the signature after it).
std::string CheckPlacement(const std::string& pdf, const FoundSignature& found,
                           const FoundSignature* next, Seal& seal, SignatureCheck& result) {
  if (!found.problem.empty()) return found.problem;
  if (NeverSealed(pdf, found)) {
    return "the PDF was never sealed: its signature is still the empty placeholder";
  }
  std::string problem = CheckRange(pdf, found, seal);
  if (!problem.empty()) return problem;
  result.signed_length = seal.end;
  if (!next) return CheckReachesEnd(pdf, seal.end);
  return CheckEarlierRevision(pdf, seal.end, *next, SignedEnd(pdf, *next));
}

// The CMS signature itself: intact, over these bytes, by whom, when.
std::string CheckCms(const std::string& pdf, const X509* trusted, Seal& seal, SealCheck& check) {
  std::string problem = DecodeSignature(pdf, seal);
  if (problem.empty()) problem = FindSigner(trusted, seal, check);
  if (problem.empty() && SigningTime(seal.signer_info)) {
    check.signed_at_utc = TimeText(SigningTime(seal.signer_info));
  }
  if (problem.empty()) problem = CheckDigest(seal.signer_info);
  if (problem.empty()) problem = CheckBytes(pdf, seal);
  if (problem.empty()) problem = CheckSigner(trusted, seal);
  if (problem.empty()) problem = CheckSigningTime(seal);
  return problem;
}

SignatureCheck CheckOne(const std::string& pdf, const FoundSignature& found,
                        const FoundSignature* next, const X509* trusted) {
  SignatureCheck result;
  result.name = SignatureName(pdf, found.slots.range_begin);
  Seal seal;
  seal.slots = found.slots;
  std::string problem = CheckPlacement(pdf, found, next, seal, result);
  if (problem.empty()) problem = CheckCms(pdf, trusted, seal, result.seal);
  result.seal.valid = problem.empty();
  result.seal.problem = problem;
  return result;
}

X509Ptr ParseTrusted(const std::string& pem) {
  X509StackPtr all;
  ReadCertificates(pem, all);
  if (sk_X509_num(all.get()) == 0) {
    throw SealError(
        "the trusted certificate is not a PEM certificate; expected "
        "\"-----BEGIN CERTIFICATE-----\"");
  }
  return X509Ptr(sk_X509_shift(all.get()));
}

}  // namespace

std::vector<SignatureCheck> CheckSignatures(const std::string& pdf, const X509* trusted) {
  std::vector<FoundSignature> found = FindSignatures(pdf);
  std::vector<SignatureCheck> checks;
  for (std::size_t i = 0; i < found.size(); ++i) {
    checks.push_back(
        CheckOne(pdf, found[i], i + 1 < found.size() ? &found[i + 1] : nullptr, trusted));
  }
  return checks;
}

std::vector<SignatureCheck> VerifyPdfSignatures(const std::string& pdf,
                                                const std::string& trusted_cert_pem) {
  X509Ptr trusted = ParseTrusted(trusted_cert_pem);
  return CheckSignatures(pdf, trusted.get());
}

SealCheck VerifySealedPdf(const std::string& pdf, const std::string& trusted_cert_pem) {
  X509Ptr trusted = ParseTrusted(trusted_cert_pem);
  SignatureSlots slots;
  std::string problem = FindByteRange(pdf, slots);  // exactly one signature
  if (!problem.empty()) {
    SealCheck check;
    check.problem = problem;
    return check;
  }
  return CheckSignatures(pdf, trusted.get()).front().seal;
}

}  // namespace consentkit
