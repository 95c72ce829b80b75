// Where a PDF's signature keeps its /ByteRange and its /Contents value.
//
// Sealing and verifying read the file as bytes, not as PDF objects: a seal
// is over bytes, and every question here is about bytes (what is signed,
// what is left out, what comes after). Both keys must occur exactly once
// in the file and in the same object. Text the renderer takes from users
// is written in hex or in compressed streams (pdf/acroform.cc), so it
// cannot pass for either key.
#ifndef CONSENTKIT_SEAL_PLACEHOLDER_H_
#define CONSENTKIT_SEAL_PLACEHOLDER_H_

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace consentkit {

struct SignatureSlots {
  std::size_t range_begin = 0;     // the /ByteRange array's '['
  std::size_t range_end = 0;       // one past its ']'
  std::size_t contents_begin = 0;  // the /Contents hex string's '<'
  std::size_t contents_end = 0;    // one past its '>'
};

// Finds the one /ByteRange array in `pdf`. Returns "" and fills
// slots.range_begin and range_end, or says what is wrong, e.g. "the PDF has
// no signature (no /ByteRange)".
std::string FindByteRange(const std::string& pdf, SignatureSlots& slots);

// Finds the one /ByteRange and the one /Contents hex string, in the same
// object: what sealing fills in. Returns "" and fills `slots`, or says what
// is wrong.
std::string FindSignatureSlots(const std::string& pdf, SignatureSlots& slots);

// One signature of a file that may have several (a record sealed, then
// countersigned in incremental updates).
struct FoundSignature {
  SignatureSlots slots;  // contents_begin == contents_end == 0: no /Contents found
  std::string problem;   // "" unless the /ByteRange array is cut short
};

// Every /ByteRange array in `pdf`, in file order, each with the /Contents hex
// string of the same object (between the "endobj" before it and the one
// after it), if that object has one.
std::vector<FoundSignature> FindSignatures(const std::string& pdf);

// Whether the /Contents hex string is still all zeros: never sealed.
bool IsUnfilled(const std::string& pdf, const SignatureSlots& slots);

// Whether pdf[begin, end) is a hex string: '<', hex digits, '>'.
bool IsHexString(const std::string& pdf, std::size_t begin, std::size_t end);

// The four numbers of the /ByteRange array. Returns false unless it holds
// exactly four integers of at most 10 digits.
bool ParseByteRange(const std::string& pdf, const SignatureSlots& slots,
                    std::array<std::size_t, 4>& range);

}  // namespace consentkit

#endif  // CONSENTKIT_SEAL_PLACEHOLDER_H_
