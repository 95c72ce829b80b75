// The seal's readers on arbitrary bytes: the signature placeholder search
// (seal/placeholder.h: /ByteRange and /Contents), the bounds-checked PDF
// reader that countersigning reads a record with (seal/pdf_reader.h: the
// cross-reference chain, every object, the page tree and the AcroForm, as
// countersign.cc walks them), and the whole check of every signature
// (seal/seal.h: VerifySealedPdf, VerifyPdfSignatures) against the
// certificate that sealed the seed record. The reader may throw SealError
// and nothing else; the verifiers throw nothing, they report.
#include <array>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "seal/pdf_reader.h"
#include "seal/placeholder.h"
#include "seal/seal.h"

namespace consentkit {
namespace {

// Objects read per input at most: a seed record has about 60.
constexpr std::size_t kMaxVisits = 400;

const std::string& TrustedCertificate() {
  static const std::string pem = [] {
    std::ifstream in(CK_FUZZ_SEAL_CERTIFICATE);
    std::stringstream text;
    text << in.rdbuf();
    CK_FUZZ_CHECK(!text.str().empty(), std::string("read ") + CK_FUZZ_SEAL_CERTIFICATE);
    return text.str();
  }();
  return pem;
}

void CheckPlaceholders(const std::string& pdf) {
  SignatureSlots slots;
  if (FindSignatureSlots(pdf, slots).empty()) {
    CK_FUZZ_CHECK(slots.range_begin < slots.range_end && slots.range_end <= pdf.size() &&
                      slots.contents_begin < slots.contents_end && slots.contents_end <= pdf.size(),
                  "found slots lie inside the file");
    std::array<std::size_t, 4> range{};
    ParseByteRange(pdf, slots, range);
    IsUnfilled(pdf, slots);
    IsHexString(pdf, slots.contents_begin, slots.contents_end);
  }
  for (const FoundSignature& found : FindSignatures(pdf)) {
    CK_FUZZ_CHECK(found.slots.range_end <= pdf.size() && found.slots.contents_end <= pdf.size(),
                  "every signature found lies inside the file");
  }
}

// Reads `value` and, through references, everything it leads to, as
// countersigning reads a record's catalog, pages and fields.
class Walker {
 public:
  explicit Walker(const PdfFile& file) : file_(file), pdf_(file.bytes()) {}

  void Visit(const PdfValue& value, int depth) {
    if (visits_++ >= kMaxVisits || depth > 8) return;
    try {
      if (value.kind == PdfValue::kRef && !seen_.insert(value.number).second) return;
      PdfValue resolved = file_.Resolve(value);
      CK_FUZZ_CHECK(resolved.begin <= resolved.end && resolved.end <= pdf_.size(),
                    "a value's bytes lie inside the file");
      switch (resolved.kind) {
        case PdfValue::kDict:
          for (const PdfEntry& entry : file_.DictOf(resolved, "a dictionary")) {
            Visit(entry.value, depth + 1);
          }
          break;
        case PdfValue::kArray:
          for (const PdfValue& element : ReadPdfArray(pdf_, resolved, "an array")) {
            Visit(element, depth + 1);
          }
          break;
        case PdfValue::kString:
          PdfTextToUtf8(PdfStringBytes(pdf_, resolved));
          break;
        case PdfValue::kNumber:
          PdfNumber(pdf_, resolved, "a number");
          break;
        case PdfValue::kName:
          PdfName(pdf_, resolved);
          break;
        default:
          break;
      }
    } catch (const SealError&) {
      // this object cannot be read; countersigning would refuse the file
    }
  }

 private:
  const PdfFile& file_;
  const std::string& pdf_;
  std::set<unsigned> seen_;
  std::size_t visits_ = 0;
};

void ReadAsCountersigningDoes(const std::string& pdf) {
  try {
    EndsRevision(pdf, pdf.size());
    XrefChain(pdf, StartXrefBefore(pdf, pdf.size()));
  } catch (const SealError&) {
    // no readable cross-reference chain
  }
  try {
    PdfFile file(pdf);
    CK_FUZZ_CHECK(file.next_free() >= 1, "a readable file has a /Size");
    Walker walker(file);
    for (const PdfEntry& entry : file.trailer()) walker.Visit(entry.value, 0);
    for (unsigned n = 1; n < file.next_free() && n < 64; ++n) {
      PdfValue ref;
      ref.kind = PdfValue::kRef;
      ref.number = n;
      walker.Visit(ref, 0);
    }
  } catch (const SealError&) {
    // not a PDF this reader reads: countersigning refuses it
  }
}

}  // namespace
}  // namespace consentkit

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace consentkit;
  std::string pdf(reinterpret_cast<const char*>(data), size);
  CheckPlaceholders(pdf);
  ReadAsCountersigningDoes(pdf);
  SealCheck seal = VerifySealedPdf(pdf, TrustedCertificate());
  CK_FUZZ_CHECK(seal.valid == seal.problem.empty(), "a seal is valid exactly when no problem");
  for (const SignatureCheck& check : VerifyPdfSignatures(pdf, TrustedCertificate())) {
    CK_FUZZ_CHECK(check.signed_length <= pdf.size(), "a signature covers at most the file");
  }
  return 0;
}
