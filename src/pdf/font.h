// The embedded Unicode font: a TrueType file parsed once per process, and
// each document's Type0 font that embeds only the glyphs it shows.
//
// libharu can embed a TrueType font for UTF-8 text, but builds a
// 65,536-entry code point → glyph map for it in every document (and
// writes and deflates that map): 70–80 % of a consent form's render time
// (bench/README.md). Here the parsing happens once per process, text is
// written as glyph ids (Identity-H, /CIDToGIDMap /Identity), and each
// document writes just its glyphs, their widths and a ToUnicode map.
#ifndef CONSENTKIT_PDF_FONT_H_
#define CONSENTKIT_PDF_FONT_H_

#include <hpdf.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace consentkit {

class Document;

// A parsed TrueType font. Immutable once loaded, so threads share it.
class FontProgram {
 public:
  // The font at `path`, parsed on first use and kept for the process.
  // Throws PdfError naming the path and what is wrong with the file.
  static std::shared_ptr<const FontProgram> Load(const std::string& path);

  // The glyph for `code`, or 0 (.notdef) when the font has none.
  std::uint16_t GlyphOf(char32_t code) const {
    return code < glyph_of_bmp_.size() ? glyph_of_bmp_[code] : 0;
  }
  // Advance width in thousandths of an em, as PDF /W arrays give it.
  int Advance(std::uint16_t glyph) const {
    return glyph < advances_.size() ? advances_[glyph] : advances_.back();
  }
  std::uint16_t GlyphCount() const { return static_cast<std::uint16_t>(advances_.size()); }
  const std::string& PostScriptName() const { return postscript_name_; }

  // Font-wide metrics in thousandths of an em, for the font descriptor.
  struct Metrics {
    int ascent = 0, descent = 0, cap_height = 0;
    int bbox[4] = {0, 0, 0, 0};
  };
  const Metrics& metrics() const { return metrics_; }

  // A TrueType file holding the outlines of `used` glyphs (and of the
  // components they are built from); every other glyph is empty. Glyph ids
  // do not change, so text encoded against this font shows the same.
  std::string Subset(const std::vector<bool>& used) const;

  struct CompressedSubset {
    std::string deflated;    // zlib (FlateDecode) stream data
    std::size_t length = 0;  // the TrueType file's own length
  };
  // Subset(used), deflated. The last few results are kept: every blank
  // copy of a form uses the same glyphs, and most filled ones add none.
  std::shared_ptr<const CompressedSubset> CompressedSubsetOf(const std::vector<bool>& used) const;

 private:
  struct Table {
    std::uint32_t offset = 0, length = 0;
  };
  FontProgram() = default;
  void Parse(const std::string& path);
  std::string TableBytes(const char* tag) const;
  std::pair<std::uint32_t, std::uint32_t> GlyphRange(std::uint16_t glyph) const;
  void AddComponents(std::uint16_t glyph, std::vector<bool>& keep) const;

  std::string bytes_;
  std::vector<std::pair<std::string, Table>> tables_;
  std::vector<std::uint16_t> glyph_of_bmp_;   // U+0000..U+FFFF
  std::vector<int> advances_;                 // per glyph
  std::vector<std::uint32_t> glyph_offsets_;  // loca, numGlyphs + 1 entries
  std::uint16_t units_per_em_ = 1000;
  std::string postscript_name_;
  Metrics metrics_;

  mutable std::mutex cache_mutex_;
  mutable std::deque<std::pair<std::vector<bool>, std::shared_ptr<const CompressedSubset>>> cache_;
};

// One document's use of a FontProgram: the Type0 font dictionary that
// pages and appearance streams name, and the glyphs they have shown.
// The font's data is written when the document is saved. Not thread-safe.
class EmbeddedFont {
 public:
  EmbeddedFont(Document& doc, std::shared_ptr<const FontProgram> program);
  EmbeddedFont(const EmbeddedFont&) = delete;
  EmbeddedFont& operator=(const EmbeddedFont&) = delete;

  // The Type0 font dictionary, to put in a /Font resource dictionary.
  HPDF_Dict dict() const { return type0_; }
  // Width of `utf8` in thousandths of an em (no kerning: widths add up).
  int Units(const std::string& utf8) const;
  // Width of `utf8` at `size` points.
  float TextWidth(const std::string& utf8, float size) const {
    return static_cast<float>(Units(utf8)) * size / 1000.0f;
  }
  // Appends `utf8` as a hex string of glyph ids for Tj, marking those
  // glyphs as used. REQUIRES: valid UTF-8.
  void AppendShowString(std::string& out, const std::string& utf8);

 private:
  void WriteFontData();
  std::string SubsetTag() const;
  HPDF_Array WidthsArray() const;
  std::string ToUnicodeCMap() const;

  Document& doc_;
  std::shared_ptr<const FontProgram> program_;
  HPDF_Dict type0_;
  HPDF_Dict cid_font_;
  HPDF_Dict descriptor_;
  std::vector<bool> used_;
  std::vector<char32_t> code_of_glyph_;  // for ToUnicode; 0 = not shown
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_FONT_H_
