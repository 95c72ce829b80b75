// The embedded fonts (src/pdf/font.h): faces read with HarfBuzz, judged by
// fontTools (the same glyphs and widths; hb-subset's subset keeps the
// right outlines and glyph ids) and by poppler (every character of the
// first face comes back out of the PDF as text). Other scripts:
// scripts_test.cc.
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

// The chain's first face: DejaVu Sans, linked under its old name.
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
  CHECK(font->GlyphOf(0x4E2D) == 0);        // CJK: another face of the chain has it
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
  // Each character of the first face that patients typed before the chain
  // (Latin to Latin Extended-B, punctuation, symbols) in a paragraph, space
  // separated; the PDF's ToUnicode map must give every one back to
  // pdftotext. Other scripts come back through scripts_test.cc.
  std::string text;
  std::vector<char32_t> expected;
  for (char32_t c = 0x21; c <= 0x27BF; ++c) {
    bool kept = c < 0x250 || (c >= 0x2010 && c < 0x20D0) || (c >= 0x2100 && c < 0x2200) ||
                (c >= 0x25A0 && c < 0x2600) || c >= 0x2700;
    if (!kept) continue;
    // U+00A0, U+202F and U+205F are spaces: pdftotext rightly prints them
    // as one.
    if (!IsInRecordFont(c) || c == 0xA0 || c == 0xAD || (c >= 0x2000 && c <= 0x200F) ||
        c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x2024 || c == 0x2025 ||
        c == 0x2026) {
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
  // HarfBuzz sanitizes every table it reads; what it cannot use is
  // refused at load with the path and what was expected.
  test::TempDir dir;
  std::string font = ReadFile(kFont);
  std::string not_a_font = dir.Write("text.ttf", "just some text, not a font at all");
  std::string truncated = dir.Write("short.ttf", font.substr(0, 400));
  for (const std::string& path : {not_a_font, truncated}) {
    CHECK_THROWS_WITH_AS(FontProgram::Load(path),
                         ("font " + path +
                          ": not a font HarfBuzz can read (0 glyphs; expected a TrueType or "
                          "OpenType font with a Unicode cmap)")
                             .c_str(),
                         PdfError);
  }
  CHECK_THROWS_WITH_AS(FontProgram::Load(dir.path() + "/missing.ttf"),
                       ("cannot open font " + dir.path() +
                        "/missing.ttf (build the 'fonts' target or set CONSENTKIT_FONT_DIR)")
                           .c_str(),
                       PdfError);
  CHECK_THROWS_WITH_AS(FontProgram::Load(kFont, 3),
                       ("font " + kFont + ": has 1 faces; expected face 3").c_str(), PdfError);
}

TEST_CASE("TheChainsFacesAreMappedNotCopied") {
  // Noto Sans CJK is 19 MB: loading it must not grow the heap by that
  // much (hb_blob_create_from_file maps the file).
  auto resident = [] {
    std::ifstream status("/proc/self/status");
    std::string line;
    long kb = 0;
    while (std::getline(status, line)) {
      if (line.rfind("VmRSS:", 0) == 0) kb = std::stol(line.substr(6));
    }
    return kb;
  };
  long before = resident();
  const FontChain& chain = FontChain::For(CK_FONT_DIR);
  for (std::size_t i = 0; i < chain.size(); ++i) CHECK(chain.Face(i).GlyphCount() > 0);
  long after = resident();
  MESSAGE("all " << chain.size() << " faces: " << (after - before) << " KB more resident");
  CHECK(after - before < 16 * 1024);
  CHECK(chain.Face(chain.size() - 1).IsCff());  // Noto Sans CJK: CFF outlines
}

}  // namespace
}  // namespace consentkit
