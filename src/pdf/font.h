// The record's fonts: a chain of Debian font files (fonts/chain.list) read
// with HarfBuzz once per process, and each document's Type0 fonts that
// embed only the glyphs it shows (hb-subset, glyph ids kept).
//
// libharu can embed a TrueType font for UTF-8 text, but builds a
// 65,536-entry code point → glyph map for it in every document: 70–80 % of
// a consent form's render time (bench/README.md). Here each face is mapped
// from its file (not copied) and parsed on first use, text is written as
// glyph ids (Identity-H), and each document writes just its glyphs, their
// widths and a ToUnicode map. Which face shows which characters, shaping
// and bidi live in shaping.h.
#ifndef CONSENTKIT_PDF_FONT_H_
#define CONSENTKIT_PDF_FONT_H_

#include <hpdf.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

struct hb_blob_t;
struct hb_face_t;
struct hb_font_t;

namespace consentkit {

class Document;
struct ShapedRun;

// One face of a font file. Immutable once loaded, so threads share it
// (HarfBuzz shapes with an immutable hb_font_t from any thread).
class FontProgram {
 public:
  // Face `index` of the font at `path`, loaded on first use and kept for
  // the process. Throws PdfError naming the path and what is wrong.
  static std::shared_ptr<const FontProgram> Load(const std::string& path, unsigned index = 0);
  // Face `index` of the font file held in `bytes` (copied), parsed as Load
  // parses one but kept by no one else: for fonts that are not files of the
  // chain (fuzz/font_fuzzer.cc). `name` stands for the path in messages.
  // Throws PdfError as Load does.
  static std::shared_ptr<const FontProgram> FromBytes(std::string_view bytes,
                                                      const std::string& name, unsigned index = 0);
  ~FontProgram();
  FontProgram(const FontProgram&) = delete;
  FontProgram& operator=(const FontProgram&) = delete;

  // The nominal glyph for `code` (its cmap entry), or 0 (.notdef).
  std::uint16_t GlyphOf(char32_t code) const;
  // Advance width in thousandths of an em, as PDF /W arrays give it.
  int Advance(std::uint16_t glyph) const {
    return glyph < advances_.size() ? advances_[glyph] : advances_.back();
  }
  std::uint16_t GlyphCount() const { return static_cast<std::uint16_t>(advances_.size()); }
  unsigned UnitsPerEm() const { return units_per_em_; }
  const std::string& PostScriptName() const { return postscript_name_; }
  const std::string& path() const { return path_; }
  // CFF outlines (OpenType 'OTTO'): embedded as CIDFontType0, FontFile3.
  bool IsCff() const { return cff_; }
  hb_font_t* hb() const { return font_; }

  // Font-wide metrics in thousandths of an em, for the font descriptor.
  struct Metrics {
    int ascent = 0, descent = 0, cap_height = 0;
    int bbox[4] = {0, 0, 0, 0};
  };
  const Metrics& metrics() const { return metrics_; }

  // The outlines of `used` glyphs (hb-subset, with the glyphs they are
  // built from), such that text encoded against this face shows the same.
  // A TrueType face gives an OpenType file in which glyph ids do not change
  // and every other glyph is empty. A CID-keyed CFF face gives the packed
  // subset's bare 'CFF ' table (*bare_cff set): its charset keeps each
  // glyph's CID, which for such a face is its glyph id (checked; when not,
  // the glyph-id-keeping OpenType file as for TrueType), and a CIDFontType0
  // selects glyphs by CID. (Packing the OpenType file instead made poppler
  // draw nothing: it then no longer went by the charset.)
  std::string Subset(const std::vector<bool>& used, bool* bare_cff = nullptr) const;

  struct CompressedSubset {
    std::string deflated;    // zlib (FlateDecode) stream data
    std::size_t length = 0;  // the font file's own length
    bool bare_cff = false;   // a bare CID-keyed CFF (FontFile3 CIDFontType0C)
  };
  // Subset(used), deflated. The last few results are kept: every blank
  // copy of a form uses the same glyphs, and most filled ones add none.
  std::shared_ptr<const CompressedSubset> CompressedSubsetOf(const std::vector<bool>& used) const;
  // The same for the used glyph ids in increasing order (no 65,536-entry
  // scans for a CJK face).
  std::shared_ptr<const CompressedSubset> CompressedSubsetOfGlyphs(
      std::vector<std::uint16_t> glyphs) const;

 private:
  FontProgram() = default;
  void Open(const std::string& path, unsigned index);
  // Parses face `index` of `blob`, which it takes over; path_ is set.
  void OpenBlob(hb_blob_t* blob, unsigned index);
  std::string SubsetGlyphs(const std::vector<std::uint16_t>& glyphs, bool* bare_cff) const;

  std::string path_;
  hb_face_t* face_ = nullptr;
  // A TrueType face_ with hb-subset's tables parsed once
  // (hb_subset_preprocess), made on its third subset (SubsetSource).
  // The face hb-subset reads: face_ itself, or its preprocessed copy once
  // enough subsets were made to repay it.
  hb_face_t* SubsetSource() const;
  mutable std::atomic<int> subsets_made_{0};
  mutable std::once_flag preprocess_once_;
  mutable hb_face_t* subset_source_ = nullptr;
  // A CFF face_'s 'CFF ' and 'maxp' tables alone (referenced, not copied),
  // for packed subsets: hb-subset plans one from the whole of Noto Sans
  // CJK in ~10 ms, from these in ~0.1 ms.
  hb_face_t* cff_source_ = nullptr;
  hb_font_t* font_ = nullptr;
  std::vector<std::uint16_t> glyph_of_bmp_;  // U+0000..U+FFFF
  std::vector<int> advances_;                // per glyph
  unsigned units_per_em_ = 1000;
  bool cff_ = false;
  std::string postscript_name_;
  Metrics metrics_;

  mutable std::mutex cache_mutex_;
  // Keyed by the used glyph ids in order: comparing them is far quicker
  // than comparing a CJK face's 65,535-entry std::vector<bool>.
  mutable std::deque<std::pair<std::vector<std::uint16_t>, std::shared_ptr<const CompressedSubset>>>
      cache_;
};

// The chain of faces in a fonts folder (fonts/chain.list, as built into
// font_chain_data.h), each loaded on first use. One per folder per process.
class FontChain {
 public:
  static const FontChain& For(const std::string& font_dir);
  std::size_t size() const { return faces_.size(); }
  // Face `i`, loaded now if it was not yet. Throws PdfError.
  const FontProgram& Face(std::size_t i) const;
  // The face that comes first for ICU script `script` (UScriptCode), or
  // size() when the chain order alone decides.
  std::size_t PreferredFor(int script) const;
  // The first face (preferred, then chain order) that has `code`; 0 when
  // none has it (validation keeps such characters out of a record).
  std::size_t FaceFor(char32_t code, int script) const;

 private:
  explicit FontChain(std::string font_dir);
  std::string dir_;
  struct Slot {
    std::string path;
    unsigned index;
    mutable std::once_flag once;
    mutable std::shared_ptr<const FontProgram> program;
  };
  std::vector<std::unique_ptr<Slot>> faces_;
  std::vector<std::pair<int, std::size_t>> preferred_;  // script → face
};

// One document's use of one face: its Type0 font dictionary and the glyphs
// shown. The font's data is written when the document is saved.
class EmbeddedFace {
 public:
  EmbeddedFace(Document& doc, const FontProgram& program);
  EmbeddedFace(const EmbeddedFace&) = delete;
  EmbeddedFace& operator=(const EmbeddedFace&) = delete;
  HPDF_Dict dict() const { return type0_; }
  const FontProgram& program() const { return program_; }
  // Marks `glyph` as shown; `code` (0: none) is what ToUnicode gives back
  // for it, when the glyph stands for one character. A glyph id past the
  // face's glyphs (a shaping result from a damaged font) counts as .notdef.
  void Use(std::uint16_t glyph, char32_t code) {
    if (glyph >= used_.size()) {
      glyph = 0;
      code = 0;
    }
    if (!used_[glyph]) {
      used_[glyph] = true;
      used_glyphs_.push_back(glyph);
    }
    if (code && !code_of_glyph_[glyph]) code_of_glyph_[glyph] = code;
  }

 private:
  void WriteFontData();
  std::string SubsetTag() const;
  HPDF_Array WidthsArray() const;
  std::string ToUnicodeCMap() const;

  Document& doc_;
  const FontProgram& program_;
  HPDF_Dict type0_;
  HPDF_Dict cid_font_;
  HPDF_Dict descriptor_;
  std::vector<bool> used_;
  std::vector<std::uint16_t> used_glyphs_;  // the same, in order of first use
  std::vector<char32_t> code_of_glyph_;     // for ToUnicode; 0 = none
};

// One document's fonts: the chain's faces it has shown, each embedded
// once (the first face always). Not thread-safe.
class EmbeddedFont {
 public:
  // The chain in `font_dir`. Throws PdfError if its first face is missing.
  EmbeddedFont(Document& doc, const std::string& font_dir);
  EmbeddedFont(const EmbeddedFont&) = delete;
  EmbeddedFont& operator=(const EmbeddedFont&) = delete;

  // The first face's Type0 dictionary, for appearance streams that name
  // one font (AppendShowString).
  HPDF_Dict dict() const { return faces_.front()->dict(); }
  const FontChain& chain() const { return chain_; }
  // Face `i` of the chain, embedded in this document from now on.
  EmbeddedFace& Face(std::size_t i);

  // Width of `utf8` in thousandths of an em, as drawn: shaped, with every
  // face it needs.
  int Units(const std::string& utf8) const;
  float TextWidth(const std::string& utf8, float size) const {
    return static_cast<float>(Units(utf8)) * size / 1000.0f;
  }
  // Appends `utf8` as a hex string of the first face's glyph ids for Tj,
  // one glyph per character (no shaping), marking them as used: for
  // appearance streams whose resources name that face alone. Characters
  // it lacks show as .notdef. REQUIRES: valid UTF-8.
  void AppendShowString(std::string& out, const std::string& utf8);

  // `utf8` as one line, shaped and in visual order, inside BT … ET: each
  // run selects its face by the name `name_of` gives for the face's
  // dictionary, and a line whose glyphs do not stand one for one for its
  // characters (joined, reordered, right to left) carries them in an
  // /ActualText span. REQUIRES: valid UTF-8.
  // The line starts at (x, baseline).
  void AppendLine(std::string& out, const std::string& utf8, float size, float x, float baseline,
                  const std::function<std::string(HPDF_Dict)>& name_of);

 private:
  void AppendRun(std::string& out, const ShapedRun& run, float size,
                 const std::function<std::string(HPDF_Dict)>& name_of);

  Document& doc_;
  const FontChain& chain_;
  std::vector<std::unique_ptr<EmbeddedFace>> faces_;  // by chain index; null until used
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_FONT_H_
