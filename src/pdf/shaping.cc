#include "pdf/shaping.h"

#include <fribidi.h>
#include <hb.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <cmath>

#include "pdf/font.h"
#include "util/util.h"

namespace consentkit {
namespace {

// Characters drawn one glyph each, left to right, with no shaping in
// DejaVu Sans: Latin, Greek and Cyrillic letters without combining marks,
// and general punctuation and symbols (no bidi controls, no joiners).
bool IsSimple(char32_t c) {
  if (c < 0x300) return true;
  if (c >= 0x370 && c < 0x483) return true;
  if (c >= 0x48A && c < 0x530) return true;
  if (c >= 0x1E00 && c < 0x2000) return true;
  if (c >= 0x2010 && c < 0x2028) return true;
  if (c >= 0x2030 && c < 0x205F) return true;
  return c >= 0x20A0 && c < 0x2C00 && !(c >= 0x20D0 && c < 0x2100);
}

// Combining marks, joiners and variation selectors stay in their base's
// run, whatever script ICU gives them.
bool StaysWithBase(char32_t c) {
  auto category = u_charType(static_cast<UChar32>(c));
  return category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK ||
         category == U_COMBINING_SPACING_MARK || c == 0x200C || c == 0x200D ||
         u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_VARIATION_SELECTOR);
}

struct Item {
  std::size_t start, end;  // code point indexes
  std::size_t face;
  int level;
};

// Each character's face and script; runs break where the face, the bidi
// level or a real (not Common or Inherited) script changes.
std::vector<Item> Itemize(const FontChain& chain, const std::u32string& codes,
                          const std::vector<FriBidiLevel>& levels) {
  std::vector<Item> items;
  int run_script = USCRIPT_COMMON;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    char32_t c = codes[i];
    UErrorCode error = U_ZERO_ERROR;
    int script = uscript_getScript(static_cast<UChar32>(c), &error);
    bool neutral = script == USCRIPT_COMMON || script == USCRIPT_INHERITED;
    std::size_t face = 0;
    Item* last = items.empty() ? nullptr : &items.back();
    bool same_level = last && last->level == levels[i];
    // A mark or neutral stays in the run's face only when that face has it:
    // a mark the base's face lacks would print as .notdef.
    if (last && (StaysWithBase(c) || neutral) && same_level && chain.Face(last->face).GlyphOf(c)) {
      face = last->face;
    } else {
      face = chain.FaceFor(c, neutral ? run_script : script);
    }
    bool new_script = !neutral && !StaysWithBase(c) && script != run_script;
    if (!neutral && !StaysWithBase(c)) run_script = script;
    if (last && same_level && last->face == face && !new_script) {
      last->end = i + 1;
    } else {
      items.push_back({i, i + 1, face, levels[i]});
    }
  }
  return items;
}

// Unicode's rule L2 on runs: from the highest level down to the lowest odd
// one, reverse every stretch of runs at that level or above.
void ReorderVisually(std::vector<Item>& items) {
  if (items.empty()) return;
  int highest = 0, lowest_odd = 255;
  for (const Item& item : items) {
    highest = std::max(highest, item.level);
    if (item.level % 2) lowest_odd = std::min(lowest_odd, item.level);
  }
  for (int level = highest; level >= lowest_odd && level > 0; --level) {
    for (std::size_t i = 0; i < items.size();) {
      if (items[i].level < level) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < items.size() && items[j].level >= level) ++j;
      std::reverse(items.begin() + static_cast<std::ptrdiff_t>(i),
                   items.begin() + static_cast<std::ptrdiff_t>(j));
      i = j;
    }
  }
}

bool IsRightToLeft(char32_t c) {
  auto direction = u_charDirection(static_cast<UChar32>(c));
  return direction == U_RIGHT_TO_LEFT || direction == U_RIGHT_TO_LEFT_ARABIC;
}

std::u32string PopplerOrder(const std::u32string& text) {
  std::size_t first = 0, last = text.size();
  while (first < text.size() && !IsRightToLeft(text[first])) ++first;
  while (last > first && !IsRightToLeft(text[last - 1])) --last;
  if (first == last) return text;
  std::u32string core = text.substr(first, last - first);
  std::reverse(core.begin(), core.end());
  return text.substr(0, first) + core + U'\u200E' + text.substr(last);
}

int PerMille(hb_position_t value, unsigned units_per_em) {
  return static_cast<int>(std::lround(value * 1000.0 / units_per_em));
}

// One run through HarfBuzz, with the whole line as context (Arabic joins
// across a face change). Sets `one_for_one` false when its glyphs do not
// stand each for the next character.
ShapedRun ShapeRun(const FontChain& chain, const std::u32string& codes, const Item& item) {
  const FontProgram& program = chain.Face(item.face);
  hb_buffer_t* buffer = hb_buffer_create();
  hb_buffer_add_utf32(buffer, reinterpret_cast<const std::uint32_t*>(codes.data()),
                      static_cast<int>(codes.size()), static_cast<unsigned>(item.start),
                      static_cast<int>(item.end - item.start));
  bool rtl = item.level % 2 == 1;
  hb_buffer_set_direction(buffer, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
  // The language is set, never guessed: guessing reads the process locale
  // (setlocale, not thread-safe on first use) and lets it pick glyph forms.
  static const hb_language_t kLanguage = hb_language_from_string("und", -1);
  hb_buffer_set_language(buffer, kLanguage);
  hb_buffer_guess_segment_properties(buffer);
  hb_shape(program.hb(), buffer, nullptr, 0);
  unsigned count = 0;
  const hb_glyph_info_t* infos = hb_buffer_get_glyph_infos(buffer, &count);
  const hb_glyph_position_t* positions = hb_buffer_get_glyph_positions(buffer, &count);
  ShapedRun run{item.face, {}, {}, false, true};
  run.glyphs.reserve(count);
  bool one_for_one = !rtl && count == item.end - item.start;
  unsigned upem = program.UnitsPerEm();
  for (unsigned k = 0; k < count; ++k) {
    auto glyph = static_cast<std::uint16_t>(infos[k].codepoint);
    std::size_t cluster = infos[k].cluster;
    bool single = !rtl && cluster == item.start + k && cluster < codes.size() &&
                  program.GlyphOf(codes[cluster]) == glyph && !StaysWithBase(codes[cluster]);
    if (!single) one_for_one = false;
    run.glyphs.push_back({glyph, PerMille(positions[k].x_advance, upem),
                          PerMille(positions[k].x_offset, upem),
                          PerMille(positions[k].y_offset, upem), single ? codes[cluster] : 0});
  }
  hb_buffer_destroy(buffer);
  run.text = codes.substr(item.start, item.end - item.start);
  run.rtl = rtl;
  run.one_for_one = one_for_one;
  return run;
}

std::vector<FriBidiLevel> BidiLevels(const std::u32string& codes) {
  auto length = static_cast<FriBidiStrIndex>(codes.size());
  const auto* text = reinterpret_cast<const FriBidiChar*>(codes.data());
  std::vector<FriBidiCharType> types(codes.size());
  std::vector<FriBidiBracketType> brackets(codes.size());
  std::vector<FriBidiLevel> levels(codes.size(), 0);
  fribidi_get_bidi_types(text, length, types.data());
  fribidi_get_bracket_types(text, length, types.data(), brackets.data());
  // The first strong character decides the line's direction: a Hebrew
  // answer reads right to left inside an English form.
  FriBidiParType direction = FRIBIDI_PAR_ON;
  if (!fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), length, &direction,
                                           levels.data())) {
    std::fill(levels.begin(), levels.end(), 0);
  }
  return levels;
}

}  // namespace

std::u32string AsPopplerReadsRightToLeft(const std::u32string& text) { return PopplerOrder(text); }

bool SimpleWidth(const FontChain& chain, const std::string& utf8, int& width) {
  const FontProgram& first = chain.Face(0);
  width = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t code = 0;
    DecodeUtf8At(utf8, i, code);
    std::uint16_t glyph = first.GlyphOf(code);
    if (!IsSimple(code) || (!glyph && code != 0xFFFD)) return false;
    width += first.Advance(glyph);
  }
  return true;
}

namespace {

// The line as the chain's first face draws it one glyph per character, in
// one pass over `codes`; false (and `line` left partial) as soon as a
// character needs shaping or another face.
bool ShapeSimply(const FontProgram& first, const std::u32string& codes, ShapedLine& line) {
  ShapedRun run{0, {}, codes, false, true};
  run.glyphs.reserve(codes.size());
  int width = 0;
  for (char32_t c : codes) {
    std::uint16_t glyph = first.GlyphOf(c);
    if (!IsSimple(c) || (!glyph && c != 0xFFFD)) return false;
    int advance = first.Advance(glyph);
    run.glyphs.push_back({glyph, advance, 0, 0, glyph ? c : 0});
    width += advance;
  }
  line.runs.push_back(std::move(run));
  line.width = width;
  return true;
}

}  // namespace

ShapedLine ShapeLine(const FontChain& chain, const std::string& utf8) {
  ShapedLine line;
  std::u32string codes;
  codes.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t code = 0;
    DecodeUtf8At(utf8, i, code);
    codes += code;
  }
  if (codes.empty() || ShapeSimply(chain.Face(0), codes, line)) return line;
  std::vector<Item> items = Itemize(chain, codes, BidiLevels(codes));
  ReorderVisually(items);
  for (const Item& item : items) {
    line.runs.push_back(ShapeRun(chain, codes, item));
    for (const ShapedGlyph& g : line.runs.back().glyphs) line.width += g.advance;
  }
  return line;
}

}  // namespace consentkit
