// Private to src/pdf: one line of text as glyphs. The text is split into
// runs by bidi level (FriBidi), script (ICU) and the chain's face that has
// the characters (combining marks stay with their base), each run shaped
// with HarfBuzz (joining, conjuncts, reordering, mark positioning), and the
// runs put in visual order. Measuring and drawing both read this, so a
// line is as wide as it is drawn.
#ifndef CONSENTKIT_PDF_SHAPING_H_
#define CONSENTKIT_PDF_SHAPING_H_

#include <cstdint>
#include <string>
#include <vector>

namespace consentkit {

class FontChain;

// Thousandths of an em throughout, as /W arrays and TJ adjustments are.
struct ShapedGlyph {
  std::uint16_t glyph;
  int advance, x_offset, y_offset;
  char32_t code;  // the one character it stands for, or 0 (part of a cluster)
};

struct ShapedRun {
  std::size_t face;                 // in the chain
  std::vector<ShapedGlyph> glyphs;  // left to right as drawn
  std::u32string text;              // its characters, in reading order
  bool rtl = false;
  // Its glyphs stand one for one for its characters, left to right: the
  // ToUnicode map gives them back; else they need an ActualText span.
  bool one_for_one = true;
};

// Right-to-left text for ActualText, as poppler's pdftotext (TextOutputDev's
// reorderText) turns it back into typed order: it takes characters as
// drawn, left to right, and reverses each stretch from a right-to-left
// letter to the next left-to-right one. So the letters go reversed,
// between the leading neutrals and a left-to-right mark (U+200E) that ends
// the stretch before the trailing neutrals: a final "." stays last.
std::u32string AsPopplerReadsRightToLeft(const std::u32string& text);

struct ShapedLine {
  std::vector<ShapedRun> runs;  // left to right as drawn
  int width = 0;
};

// Whether `utf8` needs no shaping: every character is one the chain's
// first face has and draws one glyph for, left to right (Latin, Greek,
// Cyrillic without combining marks, common punctuation). `width` is then
// its width. The fast path of a consent form's text.
bool SimpleWidth(const FontChain& chain, const std::string& utf8, int& width);

// `utf8` shaped as one line. REQUIRES: valid UTF-8.
ShapedLine ShapeLine(const FontChain& chain, const std::string& utf8);

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_SHAPING_H_
