// The font module's reading of a TrueType or OpenType face on arbitrary
// bytes (pdf/font.h: FontProgram::FromBytes, which parses as Load does a
// file of the chain): HarfBuzz's face and cmap, the advance table, the
// 'head' bounding box, then the glyphs of a few scripts subset as a
// document embeds them (hb-subset, and for a CFF face the packed subset
// whose charset font.cc reads itself). A font it cannot use throws
// PdfError and nothing else.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "pdf/font.h"
#include "pdf/pdf.h"

namespace consentkit {
namespace {

// Latin, Latin-1, Greek, Cyrillic, Arabic, Devanagari, CJK, past the BMP.
constexpr char32_t kCodes[] = {U' ',      U'A',      U'g',      U'0',
                               U'\u00e9', U'\u03a9', U'\u0416', U'\u0628',
                               U'\u0915', U'\u4e2d', U'\uac00', U'\U0001F600'};

void SubsetTheirGlyphs(const FontProgram& font) {
  std::vector<bool> used(font.GlyphCount(), false);
  for (char32_t code : kCodes) {
    std::uint16_t glyph = font.GlyphOf(code);
    CK_FUZZ_CHECK(glyph < font.GlyphCount() || glyph == 0, "a mapped glyph exists");
    if (glyph < used.size()) used[glyph] = true;
    font.Advance(glyph);
  }
  bool bare_cff = false;
  std::string subset = font.Subset(used, &bare_cff);
  CK_FUZZ_CHECK(!subset.empty(), "a subset is never empty");
  CK_FUZZ_CHECK(!bare_cff || font.IsCff(), "only a CFF face gives a bare CFF");
  auto compressed = font.CompressedSubsetOf(used);
  CK_FUZZ_CHECK(compressed && compressed->length == subset.size(),
                "the compressed subset is of the same font file");
}

}  // namespace
}  // namespace consentkit

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace consentkit;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    auto font = FontProgram::FromBytes(bytes, "fuzz.ttf");
    CK_FUZZ_CHECK(font->GlyphCount() > 0 && font->UnitsPerEm() >= 16,
                  "a font it accepts has glyphs and units per em");
    CK_FUZZ_CHECK(!font->PostScriptName().empty(), "a font it accepts has a PostScript name");
    SubsetTheirGlyphs(*font);
  } catch (const PdfError&) {
    // not a font it can embed: the one documented refusal
  }
  return 0;
}
