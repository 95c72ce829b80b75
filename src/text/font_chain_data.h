// The font chain as the build found it (generated from fonts/chain.list by
// fonts/coverage.cc): the faces in fallback order, and the characters at
// least one of them prints. Data only, no font I/O, so the validator
// (IsInRecordFont in util/util.h) and the PDF's fonts read one list.
#ifndef CONSENTKIT_TEXT_FONT_CHAIN_DATA_H_
#define CONSENTKIT_TEXT_FONT_CHAIN_DATA_H_

#include <cstddef>

namespace consentkit::font_chain {

struct ChainFace {
  const char* file;     // its name in the fonts folder ("DejaVuSans.ttf")
  unsigned index;       // the face inside the file (a .ttc holds several)
  const char* scripts;  // ISO 15924 codes it is preferred for, comma separated
};
extern const ChainFace kFaces[];
extern const std::size_t kFaceCount;

struct CodeRange {
  char32_t first, last;  // inclusive
};
// Ascending, disjoint: every character some face has, less controls,
// private use and emoji.
extern const CodeRange kPrintable[];
extern const std::size_t kPrintableCount;

}  // namespace consentkit::font_chain

#endif  // CONSENTKIT_TEXT_FONT_CHAIN_DATA_H_
