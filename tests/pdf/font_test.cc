// The embedded font (src/pdf/font.h), judged by fontTools (the subset is a
// valid TrueType file with the right outlines and widths) and by poppler
// (every character patients may type comes back out of the PDF as text).
#include "pdf/font.h"

#include <doctest/doctest.h>

#include <fstream>

#include "form/form.h"
#include "pdf/pdf.h"
#include "support/forms.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::Run;
using test::ShellQuote;

const std::string kFont = std::string(CK_FONT_DIR) + "/ConsentKitSans.ttf";

std::string Utf8(char32_t code) {
  std::string out;
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | code >> 6);
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | code >> 12);
    out += static_cast<char>(0x80 | (code >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
  return out;
}

// Runs a fontTools script with `args` (font file paths) as sys.argv[1:].
test::CommandResult FontTools(const std::string& script, const std::vector<std::string>& args) {
  std::string command = std::string(CK_PYTHON) + " -c " + ShellQuote(script);
  for (const std::string& arg : args) command += " " + ShellQuote(arg);
  return Run(command);
}

std::vector<bool> GlyphsOf(const FontProgram& font, const std::string& utf8) {
  std::vector<bool> used(font.GlyphCount(), false);
  std::u32string codes;
  REQUIRE(DecodeUtf8(utf8, codes));
  for (char32_t c : codes) used[font.GlyphOf(c)] = true;
  return used;
}

TEST_CASE("FontProgramReadsTheSameGlyphsAndWidthsAsFontTools") {
  auto font = FontProgram::Load(kFont);
  std::string ours;
  for (char32_t c : std::u32string(U"AZaz09éëñŁ€“”…✓")) {
    ours += std::to_string(font->GlyphOf(c)) + ":" +
            std::to_string(font->Advance(font->GlyphOf(c))) + " ";
  }
  auto theirs = FontTools(R"(
import sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1])
cmap, order, upem = f.getBestCmap(), f.getGlyphOrder(), f['head'].unitsPerEm
out = ''
for ch in 'AZaz09éëñŁ€“”…✓':
    g = order.index(cmap[ord(ch)])
    out += '%d:%d ' % (g, round(f['hmtx'][cmap[ord(ch)]][0] * 1000 / upem))
print(out, end='')
)",
                          {kFont});
  REQUIRE(theirs.exit_code == 0);
  CHECK(ours == theirs.out);
  CHECK(font->GlyphOf(0x4E2D) == 0);        // CJK: not in the record font
  CHECK(FontProgram::Load(kFont) == font);  // parsed once per process
}

TEST_CASE("SubsetKeepsUsedGlyphsAndTheirComponentsAndEmptiesTheRest") {
  auto font = FontProgram::Load(kFont);
  test::TempDir dir;
  std::string path = dir.Write("subset.ttf", font->Subset(GlyphsOf(*font, "Zoë")));
  // 'ë' is a composite (e + dieresis): its parts must be there too. Every
  // kept glyph has the source's outline; anything else (here 'Q') is empty.
  auto check = FontTools(R"(
import sys
from fontTools.ttLib import TTFont
src = TTFont(sys.argv[2]); sub = TTFont(sys.argv[1])
# The subset has no 'post' table, so fontTools names its glyphs by index:
# compare glyph ids, not names.
src_order, sub_order = src.getGlyphOrder(), sub.getGlyphOrder()
def outline(f, gid):
    order = f.getGlyphOrder()
    g = f['glyf'][order[gid]]
    if g.isComposite():
        return ('composite', [order.index(c.glyphName) for c in g.components])
    c, e, fl = g.getCoordinates(f['glyf'])
    return (list(c), list(e))
cmap = src.getBestCmap()
kept = [src_order.index(cmap[ord(c)]) for c in 'Zoë']
edieresis = src['glyf'][cmap[ord('ë')]]
assert edieresis.isComposite(), 'test premise: ë is a composite glyph'
kept += [src_order.index(c.glyphName) for c in edieresis.components]
for gid in kept:
    assert outline(sub, gid) == outline(src, gid), gid
    assert sub['glyf'][sub_order[gid]].numberOfContours != 0, '%d is empty' % gid
    assert sub['hmtx'][sub_order[gid]] == src['hmtx'][src_order[gid]], gid
for gid in range(1, len(sub_order)):
    if gid not in kept:
        assert sub['glyf'][sub_order[gid]].numberOfContours == 0, '%d should be empty' % gid
print('ok', len(sub.getGlyphOrder()))
)",
                         {path, kFont});
  CHECK_MESSAGE(check.exit_code == 0, check.out << check.err);
  CHECK(check.out.rfind("ok", 0) == 0);
}

TEST_CASE("SameGlyphsReuseOneCompressedSubset") {
  auto font = FontProgram::Load(kFont);
  auto first = font->CompressedSubsetOf(GlyphsOf(*font, "consent"));
  CHECK(font->CompressedSubsetOf(GlyphsOf(*font, "consent")) == first);
  CHECK(font->CompressedSubsetOf(GlyphsOf(*font, "consentZ")) != first);
  CHECK(first->length == font->Subset(GlyphsOf(*font, "consent")).size());
}

TEST_CASE("AGlyphSetInUseStaysCachedWhileOthersComeAndGo") {
  // Blank forms reuse one glyph set while every filled record brings its
  // own: a hit moves to the front, so 40 other sets do not evict it.
  auto font = FontProgram::Load(kFont);
  auto blank = font->CompressedSubsetOf(GlyphsOf(*font, "a blank consent form"));
  for (int i = 0; i < 40; ++i) {
    std::string name = "Zoë " + std::string(1, static_cast<char>('A' + i % 26)) + std::to_string(i);
    font->CompressedSubsetOf(GlyphsOf(*font, name));
    CHECK(font->CompressedSubsetOf(GlyphsOf(*font, "a blank consent form")) == blank);
  }
}

TEST_CASE("EveryCharacterAPatientMayTypeComesBackOutOfThePdf") {
  // Each character of the record font in a paragraph, space separated; the
  // PDF's ToUnicode map must give every one back to pdftotext.
  std::string text;
  std::vector<char32_t> expected;
  for (char32_t c = 0x21; c <= 0xFFFF; ++c) {
    // U+00A0 and U+00AD are a space and a hyphenation hint: pdftotext
    // rightly prints them as a space and nothing.
    if (!IsInRecordFont(c) || c == 0xA0 || c == 0xAD || (c >= 0x2000 && c <= 0x200F) ||
        c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x2024 || c == 0x2025 || c == 0x2026) {
      continue;
    }
    if (c == '<' || c == '&') {
      text += c == '<' ? "&lt; " : "&amp; ";
    } else {
      text += Utf8(c) + " ";
    }
    expected.push_back(c);
  }
  FormPtr form = test::MustLoadXml(
      "<form id=\"chars\" version=\"1\" kind=\"general\" lang=\"en\"><title>Characters</title>"
      "<section id=\"s\" kind=\"info\"><heading>All</heading><p>" +
      text + "</p></section></form>");
  test::TempDir dir;
  std::string pdf = dir.Write("chars.pdf", RenderPacket({form}, ClinicSettings{}));
  auto result = Run("pdftotext " + ShellQuote(pdf) + " -");
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.empty());
  std::u32string out;
  REQUIRE(DecodeUtf8(result.out, out));
  std::string missing;
  for (char32_t c : expected) {
    if (out.find(c) == std::u32string::npos) missing += Utf8(c) + " ";
  }
  CHECK_MESSAGE(missing.empty(), "pdftotext did not give back: " << missing);
  CHECK(expected.size() > 600);
}

TEST_CASE("DamagedFontFilesAreClearErrors") {
  test::TempDir dir;
  std::string font = ReadFile(kFont);
  std::string not_a_font = dir.Write("text.ttf", "just some text, not a font at all");
  std::string truncated = dir.Write("short.ttf", font.substr(0, 400));
  CHECK_THROWS_WITH_AS(
      FontProgram::Load(not_a_font),
      ("font " + not_a_font + ": not a TrueType font (expected glyf outlines, sfnt version 1.0)")
          .c_str(),
      PdfError);
  CHECK_THROWS_WITH_AS(
      FontProgram::Load(truncated),
      ("font " + truncated + ": the file is truncated or damaged (expected a TrueType font)")
          .c_str(),
      PdfError);
}

// Offset of `tag`'s table record (in the table directory) in `font`.
std::size_t TableRecord(const std::string& font, const char* tag) {
  auto u16 = [&font](std::size_t at) {
    return static_cast<std::size_t>(static_cast<unsigned char>(font[at]) << 8 |
                                    static_cast<unsigned char>(font[at + 1]));
  };
  for (std::size_t i = 0, n = u16(4); i < n; ++i) {
    if (font.compare(12 + 16 * i, 4, tag) == 0) return 12 + 16 * i;
  }
  FAIL("no table " << tag);
  return 0;
}

std::uint32_t U32At(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t k = 0; k < 4; ++k)
    value = value << 8 | static_cast<unsigned char>(bytes[at + k]);
  return value;
}

TEST_CASE("TablesShorterThanTheirFieldsAreClearErrors") {
  // Subset() patches head, maxp and hhea in place and copies hmtx: a table
  // record claiming fewer bytes than those fields must be refused, not
  // read past (found by review: a heap overflow under ASan).
  test::TempDir dir;
  std::string font = ReadFile(kFont);
  std::size_t head = TableRecord(font, "head");
  font[head + 12] = font[head + 13] = font[head + 14] = 0;
  font[head + 15] = 20;  // length 20
  std::string path = dir.Write("short-head.ttf", font);
  CHECK_THROWS_WITH_AS(
      FontProgram::Load(path),
      ("font " + path + ": the 'head' table is 20 bytes; expected at least 54").c_str(), PdfError);
}

TEST_CASE("OverlappingCharacterMapRangesAreRefused") {
  // Overlapping cmap segments would each be walked over the whole BMP: a
  // crafted font with 32,000 of them took seconds per load. Make the first
  // format 4 segment end at U+FFFE, overlapping every later one.
  test::TempDir dir;
  std::string font = ReadFile(kFont);
  std::size_t cmap = U32At(font, TableRecord(font, "cmap") + 8);
  std::size_t subtable = cmap + U32At(font, cmap + 4 + 4);  // first encoding record
  REQUIRE(font[subtable + 1] == 4);                         // format 4
  font[subtable + 14] = '\xFF';
  font[subtable + 15] = '\xFE';  // endCode[0] = 0xFFFE
  std::string path = dir.Write("overlap.ttf", font);
  CHECK_THROWS_WITH_AS(
      FontProgram::Load(path),
      ("font " + path + ": the character map's ranges overlap or are out of order").c_str(),
      PdfError);
}

}  // namespace
}  // namespace consentkit
