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
#include "seal/record_binding.h"

namespace consentkit {
namespace {

// Where a PDF signature lies, filled in step by step.
struct Seal {
  SignatureSlots slots;
  std::size_t end = 0;  // where the byte range ends
};

// The CMS signature being checked, filled in step by step.
struct Cms {
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
  if (r[2] > pdf.size() || r[3] > pdf.size() - r[2]) {
    // Read as given, the range would end past the last byte: what it claims
    // to sign is not all in this file (and no length past it is reported).
    std::size_t past = r[2] > pdf.size() ? r[2] - pdf.size() + r[3] : r[3] - (pdf.size() - r[2]);
    return "the signed range runs " + Bytes(past) +
           " past the end of the file: the file was cut short after sealing";
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

// The signature value's bytes: the CMS blob and the zero padding after it.
std::string HexDecodeValue(const std::string& pdf, const SignatureSlots& slots, std::string& der) {
  std::size_t from = slots.contents_begin + 1, to = slots.contents_end - 1;
  if ((to - from) % 2 != 0) return "the signature value has an odd number of hex digits";
  for (std::size_t i = from; i < to; i += 2) {
    der += static_cast<char>(HexValue(pdf[i]) * 16 + HexValue(pdf[i + 1]));
  }
  return "";
}

// Anything after the CMS blob but the padding `wording` allows means the
// value was changed.
std::string DecodeCms(const std::string& der, const CmsWording& wording, Cms& cms) {
  const auto* start = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* next = start;
  cms.cms.reset(d2i_CMS_ContentInfo(nullptr, &next, static_cast<long>(der.size())));
  ERR_clear_error();
  if (!cms.cms) return wording.value + " is not a CMS signature";
  std::size_t after = static_cast<std::size_t>(next - start);
  bool extra = wording.zero_padded ? der.find_first_not_of('\0', after) != std::string::npos
                                   : after != der.size();
  if (extra) return wording.value + " " + wording.extra_bytes;
  if (OBJ_obj2nid(CMS_get0_type(cms.cms.get())) != NID_pkcs7_signed ||
      CMS_is_detached(cms.cms.get()) != 1) {
    return wording.value + " is not a detached CMS signature";
  }
  return "";
}

std::string FindSigner(const X509* trusted, Cms& cms, SealCheck& check) {
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.cms.get());
  int count = infos ? sk_CMS_SignerInfo_num(infos) : 0;
  if (count != 1) return "the signature has " + std::to_string(count) + " signers; expected one";
  cms.signer_info = sk_CMS_SignerInfo_value(infos, 0);
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
  CMS_set1_signers_certs(cms.cms.get(), extra.get(), 0);
  ERR_clear_error();
  CMS_SignerInfo_get0_algs(cms.signer_info, nullptr, &cms.signer, nullptr, nullptr);
  if (!cms.signer) return "the signature does not include its signer's certificate";
  check.signer_common_name = CommonName(cms.signer);
  check.signer_fingerprint_sha256 = FingerprintSha256(cms.signer);
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
std::string CheckBytes(const std::string& bytes, const CmsWording& wording, Cms& cms) {
  // CMS_verify copies the data of a memory BIO into one of its own, and
  // OpenSSL 3.0 leaks that copy when the CMS names a digest it does not know
  // (CMS_dataInit fails): behind a buffer BIO the content is not a memory
  // BIO, so nothing is copied.
  BioPtr content(BIO_new(BIO_f_buffer()));
  if (!content) throw SealError("out of memory: " + OpenSslError());
  BIO_push(content.get(), MemoryBio(bytes).release());  // owned by content now
  int ok = CMS_verify(cms.cms.get(), nullptr, nullptr, content.get(), nullptr,
                      CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY);
  ERR_clear_error();
  if (ok == 1) return "";
  return "the signature does not match the signed bytes: " + wording.changed;
}

std::string CheckSigner(const X509* trusted, const Cms& cms) {
  if (!trusted || Der(cms.signer) == Der(trusted)) return "";
  return "signed by CN=" + CommonName(cms.signer) + " (sha256 " + FingerprintSha256(cms.signer) +
         "), not the clinic's certificate CN=" + CommonName(trusted) + " (sha256 " +
         FingerprintSha256(trusted) + ")";
}

std::string CheckSigningTime(const Cms& cms) {
  const ASN1_TIME* when = SigningTime(cms.signer_info);
  if (!when) return "the signature has no signing time";
  const ASN1_TIME* from = X509_get0_notBefore(cms.signer);
  const ASN1_TIME* until = X509_get0_notAfter(cms.signer);
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

// What a signature dictionary says of itself, as its signer wrote it.
struct SignatureText {
  std::string name;    // /Name, the signer's name
  std::string reason;  // /Reason; a seal's names its record
};

// The /Name and /Reason of the object holding the /ByteRange at
// `range_begin`; each "" if missing, or both if the object cannot be read.
SignatureText ReadSignatureText(const std::string& pdf, std::size_t range_begin) {
  std::size_t before = pdf.rfind("endobj", range_begin);
  std::size_t header = pdf.find("obj", before == std::string::npos ? 0 : before + 6);
  if (header == std::string::npos || header > range_begin) return {};
  try {
    std::size_t at = header + 3;
    PdfValue value = ReadPdfValue(pdf, at);
    if (value.kind != PdfValue::kDict || value.end <= range_begin) return {};
    PdfDict signature = ReadPdfDict(pdf, value, "the signature");
    SignatureText text;
    if (const PdfValue* name = FindEntry(signature, "Name")) {
      text.name = PdfTextToUtf8(PdfStringBytes(pdf, *name));
    }
    if (const PdfValue* reason = FindEntry(signature, "Reason")) {
      text.reason = PdfTextToUtf8(PdfStringBytes(pdf, *reason));
    }
    return text;
  } catch (const SealError&) {
    return {};
  }
}

// A valid seal's record, from its /Reason: the dictionary lies inside the
// signed bytes, so it says what the clinic signed. An invalid signature's
// says nothing anyone can rely on, so nothing is read from it.
void ReadBinding(const std::string& reason, SealCheck& check) {
  if (!check.valid) return;
  ParseSealReason(reason, check.sealed_submission_id, check.sealed_content_sha256);
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

// A seal's value is padded with zeros to the room the placeholder kept.
const CmsWording kPdfWording{"the signature value",
                             "was changed after sealing: there are bytes after the CMS signature",
                             "the document was changed after sealing", true};

// The CMS signature of a PDF: intact, over the bytes its range covers, by
// whom, when.
std::string CheckPdfCms(const std::string& pdf, const X509* trusted, const Seal& seal,
                        SealCheck& check) {
  std::string der;
  std::string problem = HexDecodeValue(pdf, seal.slots, der);
  if (!problem.empty()) return problem;
  std::string bytes = pdf.substr(0, seal.slots.contents_begin) +
                      pdf.substr(seal.slots.contents_end, seal.end - seal.slots.contents_end);
  return CheckDetachedCms(der, bytes, kPdfWording, trusted, check);
}

// `is_seal`: the first signature, the one SealPdf made; the later ones are
// countersignatures, whose /Reason is the practitioner's note.
SignatureCheck CheckOne(const std::string& pdf, const FoundSignature& found,
                        const FoundSignature* next, const X509* trusted, bool is_seal) {
  SignatureCheck result;
  SignatureText text = ReadSignatureText(pdf, found.slots.range_begin);
  result.name = text.name;
  Seal seal;
  seal.slots = found.slots;
  std::string problem = CheckPlacement(pdf, found, next, seal, result);
  if (problem.empty()) problem = CheckPdfCms(pdf, trusted, seal, result.seal);
  result.seal.valid = problem.empty();
  result.seal.problem = problem;
  if (is_seal) ReadBinding(text.reason, result.seal);
  return result;
}

}  // namespace

X509Ptr ParseTrustedCertificate(const std::string& pem) {
  X509StackPtr all;
  ReadCertificates(pem, all);
  if (sk_X509_num(all.get()) == 0) {
    throw SealError(
        "the trusted certificate is not a PEM certificate; expected "
        "\"-----BEGIN CERTIFICATE-----\"");
  }
  return X509Ptr(sk_X509_shift(all.get()));
}

std::string CheckDetachedCms(const std::string& der, const std::string& signed_bytes,
                             const CmsWording& wording, const X509* trusted, SealCheck& check) {
  Cms cms;
  std::string problem = DecodeCms(der, wording, cms);
  if (problem.empty()) problem = FindSigner(trusted, cms, check);
  if (problem.empty() && SigningTime(cms.signer_info)) {
    check.signed_at_utc = TimeText(SigningTime(cms.signer_info));
  }
  if (problem.empty()) problem = CheckDigest(cms.signer_info);
  if (problem.empty()) problem = CheckBytes(signed_bytes, wording, cms);
  if (problem.empty()) problem = CheckSigner(trusted, cms);
  if (problem.empty()) problem = CheckSigningTime(cms);
  return problem;
}

std::vector<SignatureCheck> CheckSignatures(const std::string& pdf, const X509* trusted) {
  std::vector<FoundSignature> found = FindSignatures(pdf);
  std::vector<SignatureCheck> checks;
  for (std::size_t i = 0; i < found.size(); ++i) {
    checks.push_back(
        CheckOne(pdf, found[i], i + 1 < found.size() ? &found[i + 1] : nullptr, trusted, i == 0));
  }
  return checks;
}

std::vector<SignatureCheck> VerifyPdfSignatures(const std::string& pdf,
                                                const std::string& trusted_cert_pem) {
  X509Ptr trusted = ParseTrustedCertificate(trusted_cert_pem);
  return CheckSignatures(pdf, trusted.get());
}

SealCheck VerifySealedPdf(const std::string& pdf, const std::string& trusted_cert_pem) {
  X509Ptr trusted = ParseTrustedCertificate(trusted_cert_pem);
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
